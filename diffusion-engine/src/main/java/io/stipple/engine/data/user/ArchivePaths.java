package io.stipple.engine.data.user;

/** Which relative paths from an upload (zip entry names, captions.jsonl "file" values) are safe. */
final class ArchivePaths {

    private ArchivePaths() {
    }

    /**
     * Safe: relative, '/'-separated, no ".." segment, no drive letter or backslash, no NUL. Unsafe
     * names are how zip-slip attacks reach outside the extraction folder.
     */
    static boolean isSafe(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
