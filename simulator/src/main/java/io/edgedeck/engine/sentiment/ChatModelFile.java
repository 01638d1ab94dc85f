package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The chat classifier's weights as built into the jar: {@code chat-model.bin}, written by
 * {@link #main} when the simulator module is built (Maven's process-classes phase), so a process
 * loads a trained model in milliseconds instead of training one when its engine starts.
 *
 * <p>The file says what it was trained from: the chosen settings and a SHA-256 digest of every
 * development line (label and text) and of the chat lexicon. A file whose settings or digest do not
 * match what this code and these resources would train from is not used ({@link #load} is empty and
 * the classifier trains instead), so a stale file can cost time, never a different score. Training
 * is deterministic; {@code ChatModelFileTest} checks that retraining reproduces the built file's
 * weights bit for bit.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic "EDCM", version, settings as text, digest
 * (32 bytes), three biases, the number of slots with a weight, then per slot its index and its three
 * class weights.
 */
public final class ChatModelFile {

    static final String RESOURCE = "io/edgedeck/engine/sentiment/chat-model.bin";
    private static final int MAGIC = 0x4544434D;
    private static final int VERSION = 1;

    private ChatModelFile() {}

    /** Trains the chosen model on the development lines and writes it to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ChatModelFile OUTPUT");
        }
        List<LabelledText> lines = ChatClassifier.developmentLines();
        ChatClassifier model = ChatClassifier.trainChosen(lines);
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out)) {
            write(model, digest(lines), file);
        }
    }

    /** The built model, if the file is on the classpath and was trained from these lines with {@link ChatClassifier#CHOSEN}. */
    static Optional<ChatClassifier> load(List<LabelledText> lines) {
        InputStream in = ChatModelFile.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            return Optional.empty();
        }
        try (in) {
            return read(in, ChatClassifier.CHOSEN, digest(lines));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + RESOURCE, e);
        }
    }

    static void write(ChatClassifier model, byte[] digest, OutputStream out) throws IOException {
        var data = new DataOutputStream(new BufferedOutputStream(out));
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(model.settings().toString());
        data.write(digest);
        for (int k = 0; k < 3; k++) {
            data.writeDouble(model.bias()[k]);
        }
        float[] w = model.weights();
        int slots = 0;
        for (int s = 0; s < ChatFeatures.DIMENSION; s++) {
            if (used(w, s)) {
                slots++;
            }
        }
        data.writeInt(slots);
        for (int s = 0; s < ChatFeatures.DIMENSION; s++) {
            if (used(w, s)) {
                data.writeInt(s);
                for (int k = 0; k < 3; k++) {
                    data.writeFloat(w[s * 3 + k]);
                }
            }
        }
        data.flush();
    }

    /** The model in {@code in}, or empty when it was trained with other settings or from other lines. */
    static Optional<ChatClassifier> read(InputStream in, ChatClassifier.Settings settings, byte[] digest) throws IOException {
        var data = new DataInputStream(new BufferedInputStream(in));
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException("not a chat model file of version " + VERSION);
        }
        if (!data.readUTF().equals(settings.toString())) {
            return Optional.empty();
        }
        byte[] trainedFrom = data.readNBytes(digest.length);
        if (!MessageDigest.isEqual(trainedFrom, digest)) {
            return Optional.empty();
        }
        var bias = new double[3];
        for (int k = 0; k < 3; k++) {
            bias[k] = data.readDouble();
        }
        var w = new float[3 * ChatFeatures.DIMENSION];
        int slots = data.readInt();
        for (int i = 0; i < slots; i++) {
            int s = data.readInt();
            if (s < 0 || s >= ChatFeatures.DIMENSION) {
                throw new IOException("slot " + s + " out of range");
            }
            for (int k = 0; k < 3; k++) {
                w[s * 3 + k] = data.readFloat();
            }
        }
        return Optional.of(ChatClassifier.of(w, bias, settings));
    }

    /** SHA-256 of the training lines (label, text) and of the chat lexicon: what the model is a function of, besides the code. */
    static byte[] digest(List<LabelledText> lines) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            for (LabelledText line : lines) {
                sha.update(line.label().name().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\t');
                sha.update(line.text().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            try (InputStream lexicon = ChatModelFile.class.getClassLoader().getResourceAsStream(Lexicons.CHAT_RESOURCE)) {
                if (lexicon != null) {
                    sha.update(lexicon.readAllBytes());
                }
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean used(float[] w, int slot) {
        return w[slot * 3] != 0 || w[slot * 3 + 1] != 0 || w[slot * 3 + 2] != 0;
    }
}
