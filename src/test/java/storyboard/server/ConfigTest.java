package storyboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Config c = Config.resolve(Map.of(), Map.of(), dir.resolve(".env"));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.corsOrigins()).containsExactly("*");
        assertThat(c.logFormat()).isEqualTo(Config.LogFormat.TEXT);
        assertThat(c.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(c.databaseUrl()).isEmpty();
        assertThat(c.authToken()).isEmpty();
        assertThat(c.logFile()).isEmpty();
        assertThat(c.webhookRetryDelay()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(c.webhookRetryWindow()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(c.webhookPauseAfter()).isEqualTo(20);
        assertThat(c.webhookPauseFailingFor()).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void webhookDurationsTakeUnits() {
        Config c = Config.resolve(Map.of("WEBHOOK_RETRY_DELAY", "100ms", "WEBHOOK_RETRY_WINDOW", "3d",
                "WEBHOOK_PAUSE_FAILING_FOR", "0s"), Map.of(), dir.resolve("x"));
        assertThat(c.webhookRetryDelay()).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(c.webhookRetryWindow()).isEqualTo(java.time.Duration.ofDays(3));
        assertThat(c.webhookPauseFailingFor()).isZero();
        for (String bad : new String[] {"30", "0ms", "2h", "1.5s", "-1s", "soon"}) {
            assertThatThrownBy(() -> Config.resolve(Map.of("WEBHOOK_RETRY_DELAY", bad), Map.of(), dir.resolve("x")))
                    .as(bad).isInstanceOf(Config.ConfigException.class).hasMessageContaining("WEBHOOK_RETRY_DELAY");
        }
        assertThatThrownBy(() -> Config.resolve(Map.of("WEBHOOK_PAUSE_AFTER", "0"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("WEBHOOK_PAUSE_AFTER");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsDotEnvWhichBeatsDefaults() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, """
                # studio settings
                PORT=6000
                HOST=127.0.0.1
                export LOG_FORMAT="json"
                AUTH_TOKEN='from-dot-env-123'
                """);
        Config fileOnly = Config.resolve(Map.of(), Map.of(), env);
        assertThat(fileOnly.port()).isEqualTo(6000);
        assertThat(fileOnly.logFormat()).isEqualTo(Config.LogFormat.JSON);
        assertThat(fileOnly.authToken()).contains("from-dot-env-123");

        Config withEnv = Config.resolve(Map.of(), Map.of("PORT", "7000", "PATH", "/usr/bin"), env);
        assertThat(withEnv.port()).isEqualTo(7000);
        assertThat(withEnv.host()).isEqualTo("127.0.0.1");

        Config withFlag = Config.resolve(Map.of("PORT", "8000"), Map.of("PORT", "7000"), env);
        assertThat(withFlag.port()).isEqualTo(8000);
    }

    @Test
    void invalidValuesNameTheSetting() {
        assertThatThrownBy(() -> Config.resolve(Map.of("PORT", "http"), Map.of(), dir.resolve("x")))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PORT");
        assertThatThrownBy(() -> Config.resolve(Map.of("PORT", "70000"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("PORT");
        assertThatThrownBy(() -> Config.resolve(Map.of("LOG_FORMAT", "xml"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("LOG_FORMAT");
        assertThatThrownBy(() -> Config.resolve(Map.of("MAX_BODY_BYTES", "-1"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("MAX_BODY_BYTES");
        assertThatThrownBy(() -> Config.resolve(Map.of("DATABASE_URL", "mysql://x/y"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> Config.resolve(Map.of("CORS_ORIGINS", "not an origin"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("CORS_ORIGINS");
        assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of("STORYBOARD_DATADIR", "x"), dir.resolve("x")))
                .hasMessageContaining("STORYBOARD_DATADIR");
        assertThatThrownBy(() -> Config.resolve(Map.of("AUTH_TOKEN_SCOPES", "root"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("AUTH_TOKEN_SCOPES");
        assertThatThrownBy(() -> Config.resolve(Map.of("RATE_LIMIT", "fast"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("RATE_LIMIT");
        assertThatThrownBy(() -> Config.resolve(Map.of("JWT_JWKS_URL", "https://id/jwks"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("JWT_ISSUER is required");
        assertThatThrownBy(() -> Config.resolve(Map.of("JWT_ISSUER", "https://id"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("JWT_JWKS_URL is not");
        assertThatThrownBy(() -> Config.resolve(Map.of("JWT_JWKS_URL", "https://id/jwks", "JWT_ISSUER", "i",
                "JWT_AUDIENCE", "a", "JWT_ROLE_MAP", "admins=root"), Map.of(), dir.resolve("x")))
                .hasMessageContaining("JWT_ROLE_MAP");
    }

    @Test
    void unknownSettingsInDotEnvStopStartUp() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "PROT=5000\n");
        assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of(), env))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PROT").hasMessageContaining("line 1");
        Files.writeString(env, "just words\n");
        assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of(), env)).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void theLaunchersVariableIsNoSettingButAMistypedSettingStopsStartUp() {
        assertThat(Config.resolve(Map.of(), Map.of("STORYBOARD_CLASSPATH", "target/classes"), dir.resolve("x")).port())
                .isEqualTo(5000);
        assertThatThrownBy(() -> Config.resolve(Map.of(), Map.of("STORYBOARD_DATADIR", "/srv"), dir.resolve("x")))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("STORYBOARD_DATADIR");
    }

    @Test
    void aBlankValueMeansTheDefaultTheSettingsTableGives() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "PORT=\nRATE_LIMIT=\nWEBHOOK_RETRY_DELAY=\nJWT_ROLE_CLAIM=\n");
        Config c = Config.resolve(Map.of("MAX_BODY_BYTES", " "), Map.of(), env);
        assertThat(c.port()).isEqualTo(Integer.parseInt(Config.DEFAULTS.get("PORT")));
        assertThat(c.rateLimit()).isEqualTo(Integer.parseInt(Config.DEFAULTS.get("RATE_LIMIT")));
        assertThat(c.webhookRetryDelay()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(c.maxBodyBytes()).isEqualTo(Long.parseLong(Config.DEFAULTS.get("MAX_BODY_BYTES")));
        assertThat(Config.SETTINGS).extracting(Config.Setting::name).containsExactlyElementsOf(Config.DEFAULTS.keySet());
        assertThat(Config.SETTINGS).allSatisfy(s -> assertThat(s.meaning()).isNotBlank());
    }

    @Test
    void databaseUrlsInTheSeedsFormAndAsJdbc() {
        DatabaseUrl seed = DatabaseUrl.parse("postgresql://story:s%40cret@db.studio.local:5433/storyboard?sslmode=require");
        assertThat(seed.jdbcUrl()).isEqualTo("jdbc:postgresql://db.studio.local:5433/storyboard?sslmode=require");
        assertThat(seed.user()).contains("story");
        assertThat(seed.password()).contains("s@cret");
        assertThat(seed.display()).doesNotContain("s@cret").doesNotContain("s%40cret");

        DatabaseUrl noPort = DatabaseUrl.parse("postgres://u@localhost/db");
        assertThat(noPort.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/db");
        assertThat(noPort.password()).isEmpty();

        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=a&password=secret");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?user=a&password=secret");
        assertThat(jdbc.display()).doesNotContain("secret");

        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://host")).hasMessageContaining("database");
    }
}
