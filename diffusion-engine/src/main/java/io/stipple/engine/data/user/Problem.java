package io.stipple.engine.data.user;

/** Something wrong with one file (or with the dataset as a whole when {@code file} is "."). */
public record Problem(String file, String reason) {

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
