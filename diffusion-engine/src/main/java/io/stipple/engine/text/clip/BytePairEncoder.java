package io.stipple.engine.text.clip;

import java.util.Arrays;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-pair encoding of one pre-tokenised word as Hugging Face tokenizers does it: the word's
 * characters, the last one carrying the end-of-word suffix, are merged pair by pair, always the
 * pair of lowest merge rank first (leftmost on ties), until no adjacent pair has a merge. A
 * priority queue over a linked list of symbols keeps this O(n log n) in the word's length, so a
 * hostile prompt of one very long word cannot stall the encoder.
 */
final class BytePairEncoder {

    /** What merging a pair gives: its rank in merges.txt and the merged token's id. */
    record Merge(int rank, int id) {
    }

    private final Map<String, Integer> vocabulary;
    private final Map<Long, Merge> merges;
    private final String endOfWord;
    private final int unknownId;

    /**
     * @param vocabulary token -> id
     * @param merges     (left id, right id) packed by {@link #pair} -> the merge
     * @param endOfWord  the suffix of a word's last symbol ({@code </w>})
     * @param unknownId  the id of a symbol the vocabulary lacks
     */
    BytePairEncoder(Map<String, Integer> vocabulary, Map<Long, Merge> merges, String endOfWord, int unknownId) {
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.endOfWord = endOfWord;
        this.unknownId = unknownId;
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** The ids of one word (a run of byte-level alphabet characters without spaces). */
    int[] encode(String word) {
        int n = word.codePointCount(0, word.length());
        if (n == 0) {
            return new int[0];
        }
        int[] ids = new int[n];
        int[] next = new int[n];
        int[] previous = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            int end = word.offsetByCodePoints(at, 1);
            String symbol = word.substring(at, end) + (i == n - 1 ? endOfWord : "");
            ids[i] = vocabulary.getOrDefault(symbol, unknownId);
            next[i] = i + 1 < n ? i + 1 : -1;
            previous[i] = i - 1;
            at = end;
        }
        boolean[] gone = new boolean[n];
        // Candidates as {rank, position, merged id}; an entry is stale once its symbols changed.
        PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, i, ids[i], ids[i + 1]);
        }
        while (!queue.isEmpty()) {
            int[] top = queue.poll();
            int left = top[1];
            int right = gone[left] ? -1 : next[left];
            if (right < 0) {
                continue;
            }
            Merge current = merges.get(pair(ids[left], ids[right]));
            if (current == null || current.id() != top[2]) {
                continue;
            }
            ids[left] = current.id();
            gone[right] = true;
            next[left] = next[right];
            if (next[right] >= 0) {
                previous[next[right]] = left;
            }
            if (previous[left] >= 0) {
                offer(queue, previous[left], ids[previous[left]], ids[left]);
            }
            if (next[left] >= 0) {
                offer(queue, left, ids[left], ids[next[left]]);
            }
        }
        int[] result = new int[n];
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            result[count++] = ids[i];
        }
        return Arrays.copyOf(result, count);
    }

    private void offer(PriorityQueue<int[]> queue, int position, int left, int right) {
        Merge merge = merges.get(pair(left, right));
        if (merge != null) {
            queue.add(new int[] {merge.rank(), position, merge.id()});
        }
    }
}
