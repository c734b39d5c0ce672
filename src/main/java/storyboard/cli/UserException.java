package storyboard.cli;

/** A failure caused by how a command was used, or that its user can act on: shown as one line, exit status 2. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
