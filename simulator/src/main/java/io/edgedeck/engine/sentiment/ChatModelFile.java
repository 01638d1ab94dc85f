package io.edgedeck.engine.sentiment;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledSet;
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
import java.util.ArrayList;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The chat classifier's weights as built into the jar: {@code chat-model.bin}, written by
 * {@link #main} when the simulator module is built (Maven's process-classes phase), so a process
 * loads a trained model in milliseconds instead of training one when its engine starts.
 *
 * <p>The file says what it was trained from: the chosen settings and a checksum of the development
 * and training files and of the chat lexicon ({@link #sourceChecksum}). A file whose settings or checksum do not
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
        ChatClassifier model = ChatClassifier.trainChosen(ChatClassifier.developmentLines());
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out)) {
            write(model, sourceChecksum(), file);
        }
    }

    /** The built model, if the file is on the classpath and was trained from these files with {@link ChatClassifier#CHOSEN}. */
    static Optional<ChatClassifier> load() {
        InputStream in = ChatModelFile.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            return Optional.empty();
        }
        try (in) {
            return read(in, ChatClassifier.CHOSEN, sourceChecksum());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + RESOURCE, e);
        }
    }

    static void write(ChatClassifier model, long sources, OutputStream out) throws IOException {
        var data = new DataOutputStream(new BufferedOutputStream(out));
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(model.settings().toString());
        data.writeLong(sources);
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

    /** The model in {@code in}, or empty when it was trained with other settings or from other files. */
    static Optional<ChatClassifier> read(InputStream in, ChatClassifier.Settings settings, long sources) throws IOException {
        var data = new DataInputStream(new BufferedInputStream(in));
        if (data.readInt() != MAGIC || data.readInt() != VERSION) {
            throw new IOException("not a chat model file of version " + VERSION);
        }
        if (!data.readUTF().equals(settings.toString())) {
            return Optional.empty();
        }
        if (data.readLong() != sources) {
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

    /**
     * CRC-32 of the files the model is trained from, as bytes: every development set and training
     * file, and the chat lexicon (what the model is a function of, besides the code). Read without
     * parsing them, so checking a built file costs a few milliseconds. It detects a file that was
     * edited after the model was built; it is no defence against a deliberate forgery.
     */
    static long sourceChecksum() {
        var crc = new CRC32();
        var names = new ArrayList<String>();
        for (LabelledSet set : LabelledSet.values()) {
            if (set.file().development()) {
                names.add(set.file().resource());
            }
        }
        names.add(Lexicons.CHAT_RESOURCE);
        for (String name : names) {
            try (InputStream in = ChatModelFile.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing classpath resource " + name);
                }
                byte[] bytes = in.readAllBytes();
                crc.update(name.getBytes(StandardCharsets.UTF_8));
                crc.update(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crc.getValue();
    }

    private static boolean used(float[] w, int slot) {
        return w[slot * 3] != 0 || w[slot * 3 + 1] != 0 || w[slot * 3 + 2] != 0;
    }
}
