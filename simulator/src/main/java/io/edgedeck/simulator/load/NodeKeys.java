package io.edgedeck.simulator.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The three keys of a live node, one per lane: the admin token ({@code DATA_DIR/token}) for the
 * control API, the read key ({@code DATA_DIR/read-key}) for OFREP, the ingest key
 * ({@code DATA_DIR/ingest-key}) for the ingest API. Read from the node's data directory, or each from
 * a file of its own. {@code toString} never shows a key.
 *
 * @param adminSource  where the admin token was read, for a message
 */
public record NodeKeys(String admin, String read, String ingest, String adminSource, String readSource, String ingestSource) {

    /** A key file that cannot be used; {@code option} is the command-line option that names it. */
    public static final class KeyFileException extends Exception {
        private final String option;

        KeyFileException(String option, String message) {
            super(message);
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /**
     * The keys from {@code dataDir} ({@code --key-dir}), each replaced by its own file when one is
     * given ({@code --token-file}, {@code --read-key-file}, {@code --ingest-key-file}); either names every key.
     */
    public static NodeKeys read(Path dataDir, Path tokenFile, Path readKeyFile, Path ingestKeyFile) throws KeyFileException {
        Path admin = pick(tokenFile, dataDir, "token", "--token-file");
        Path read = pick(readKeyFile, dataDir, "read-key", "--read-key-file");
        Path ingest = pick(ingestKeyFile, dataDir, "ingest-key", "--ingest-key-file");
        return new NodeKeys(key(admin, tokenFile == null ? "--key-dir" : "--token-file"),
                key(read, readKeyFile == null ? "--key-dir" : "--read-key-file"),
                key(ingest, ingestKeyFile == null ? "--key-dir" : "--ingest-key-file"), admin.toString(), read.toString(), ingest.toString());
    }

    private static Path pick(Path file, Path dataDir, String name, String option) throws KeyFileException {
        if (file != null) {
            return file;
        }
        if (dataDir == null) {
            throw new KeyFileException(option, "the node's keys are needed: give --key-dir DATA_DIR (the live node's data directory),"
                    + " or " + option + " FILE");
        }
        return dataDir.resolve(name);
    }

    private static String key(Path file, String option) throws KeyFileException {
        String key;
        try {
            key = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            throw new KeyFileException(option, option + ": no key file " + file
                    + (option.equals("--key-dir") ? " (is that a live node's data directory? 'serve --live' writes it on first start)" : ""));
        } catch (java.nio.charset.CharacterCodingException e) {
            // Bytes that are no text (a zip, an image): not a key, as the check below says of other wrong content.
            key = "";
        } catch (IOException e) {
            throw new KeyFileException(option, option + ": cannot read " + file + ": " + e.getMessage());
        }
        if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new KeyFileException(option, option + ": " + file + " does not hold a key (one line of printable characters)");
        }
        return key;
    }

    @Override
    public String toString() {
        return "NodeKeys[admin from " + adminSource + ", read key from " + readSource + ", ingest key from " + ingestSource + "]";
    }
}
