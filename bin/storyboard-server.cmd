@echo off
rem storyboard-server.cmd: the Windows twin of bin/storyboard-server (see there). Runs Storyboard Server
rem (..\target\storyboard-server.jar from here) with the JVM flags it is meant to run with, in the current folder.
rem   JAVA_HOME             the Java to use (17 or newer); else java on the PATH
rem   JAVA_OPTS             more JVM options, after the defaults so they win (e.g. set JAVA_OPTS=-Xmx1g)
rem   STORYBOARD_CLASSPATH  run storyboard.cli.Main from this class path instead of the jar (development, tests)
rem The JVM flags keep the server small and cheap on a studio box shared with PostgreSQL (figures in the README):
rem -Xmx256m (the server needs far less heap than the JVM's default, a quarter of the memory), -XX:+UseSerialGC
rem (less CPU than G1 at this heap size), -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000 (less work for the C2
rem compiler, which otherwise holds up requests for the first 20-30 s under load on 2 cores).
setlocal
set "DEFAULT_JVM_OPTS=-Xmx256m -XX:+UseSerialGC -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000 -XX:+ExitOnOutOfMemoryError"

set "JAVA_EXE=java"
if not defined JAVA_HOME goto javaSet
set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA_EXE%" goto javaSet
echo storyboard-server: JAVA_HOME is %JAVA_HOME% but there is no %JAVA_EXE%; correct JAVA_HOME or unset it 1>&2
exit /b 1
:javaSet

if not defined STORYBOARD_CLASSPATH goto jar
set "SB_CLASSPATH=%STORYBOARD_CLASSPATH%"
set "STORYBOARD_CLASSPATH="
"%JAVA_EXE%" %DEFAULT_JVM_OPTS% %JAVA_OPTS% -cp "%SB_CLASSPATH%" storyboard.cli.Main %*
exit /b %ERRORLEVEL%

:jar
for %%I in ("%~dp0..") do set "SB_HOME=%%~fI"
set "SB_JAR=%SB_HOME%\target\storyboard-server.jar"
if exist "%SB_JAR%" goto run
echo storyboard-server: %SB_JAR% is missing; build it first: cd "%SB_HOME%" ^&^& mvnw -q package -DskipTests 1>&2
exit /b 1

:run
"%JAVA_EXE%" %DEFAULT_JVM_OPTS% %JAVA_OPTS% -jar "%SB_JAR%" %*
exit /b %ERRORLEVEL%
