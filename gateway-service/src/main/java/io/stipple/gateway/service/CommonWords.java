package io.stipple.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Common English words (bundled {@code common-words.txt}) plus the vocabulary of the rendered
 * dataset (shapes, colours, positions): a DreamBooth identifier must be none of them, or the
 * subject would inherit the word's meaning.
 */
@ApplicationScoped
public class CommonWords {

    private static final String RESOURCE = "/common-words.txt";

    private final Set<String> words;

    public CommonWords() {
        try (InputStream in = CommonWords.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the gateway jar");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                words = reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .flatMap(l -> java.util.Arrays.stream(l.split("\\s+")))
                        .collect(Collectors.toUnmodifiableSet());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean contains(String word) {
        return words.contains(word);
    }
}
