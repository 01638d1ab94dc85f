package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.themes.Theme;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The console's command line, read by Apache Commons CLI: each option is declared once below, with its help
 * text and its conversion, and {@code --help} is laid out from those declarations; how options combine is
 * checked once all are read.
 *
 * @param scenario         the rehearsal scenario (a built-in name or a file), or null for the one rehearsed last
 * @param seed             the show's seed, or null for the scenario's own
 * @param speed            engine seconds per wall second; 0 for as fast as possible
 * @param theme            the theme asked for, or null for the one in the settings
 * @param screenshot       where to write a PNG of the main window, or null
 * @param exitAfterSeconds when to take the screenshot and exit, or 0 to run until closed
 * @param connect          a live edge node's URL, or null to rehearse
 * @param tokenFile        where to read the node's token from, or null for the one stored from an earlier use
 * @param bundle           a diagnostic bundle to open offline instead of rehearsing, or null
 * @param tab              the tab to show first (one of {@link #TABS}), or null for the first
 * @param exportBundle     where to write a diagnostic bundle at {@code exitAfterSeconds}, or null
 * @param reportStartup    print the time from JVM start to the first live frame on the FX thread
 * @param reportFx         print, every 2 s from the first frame and at exit, the FX thread's busy share, the worst
 *                         frame, the heap after collection and the live threads
 * @param insecure         send the node's token over plain HTTP to an address beyond this machine
 */
public record ConsoleOptions(String scenario, Long seed, double speed, Theme theme, Path screenshot,
                             double exitAfterSeconds, URI connect, Path tokenFile, Path bundle, String tab,
                             Path exportBundle, boolean reportStartup, boolean reportFx, boolean insecure) {

    /** The tabs a console can open on, as {@code --tab} takes them. */
    public static final List<String> TABS = List.of("dashboard", "flags", "guardrails", "timeline", "rehearsal", "jitter",
            "sources", "requests", "playbooks", "triggers", "fleet", "settings");
    /** The show a console rehearses when neither the command line nor the settings name one. */
    public static final String DEFAULT_SCENARIO = "steady-show";

    /** A rehearsal's options. */
    public ConsoleOptions(String scenario, Long seed, double speed, Theme theme, Path screenshot, double exitAfterSeconds) {
        this(scenario, seed, speed, theme, screenshot, exitAfterSeconds, null, null, null, null, null, false, false, false);
    }

    /** A command-line mistake; the message names the option. */
    public static final class UsageException extends Exception {
        private final List<String> suggestions;

        public UsageException(String message) {
            this(message, List.of());
        }

        /** @param suggestions the options a misspelt one may have meant, nearest first */
        UsageException(String message, List<String> suggestions) {
            super(message);
            this.suggestions = List.copyOf(suggestions);
        }

        /** The options a misspelt one may have meant, nearest first; empty for any other mistake. */
        public List<String> suggestions() {
            return suggestions;
        }
    }

    /** The same options rehearsing another scenario. */
    public ConsoleOptions withScenario(String otherScenario) {
        return new ConsoleOptions(otherScenario, seed, speed, theme, screenshot, exitAfterSeconds, connect, tokenFile,
                bundle, tab, exportBundle, reportStartup, reportFx, insecure);
    }

    /** Nothing given: rehearse the show rehearsed last, at 1x, in the theme of the settings. */
    public static ConsoleOptions defaults() {
        return new ConsoleOptions(null, null, 1, null, null, 0);
    }

    /** The width --help is laid out to. */
    private static final int HELP_WIDTH = 110;
    /** Exit status of a mistake on the command line. */
    static final int USAGE_ERROR = 2;
    private static final String DESCRIPTION = "The EdgeDeck console: rehearse a show (the default), go LIVE on an edge node, "
            + "or open a diagnostic bundle offline.";
    private static final List<String> FOOTER = List.of("",
            "A mistake on the command line names the option and exits with status 2, as does a --screenshot or",
            "--export-bundle file that cannot be written. If one still cannot be written at --exit-after, the",
            "console names it and exits with status 3, as it does when a rehearsal stalls short of its",
            "--exit-after minute (after four times the asked seconds, and at least two minutes more).");

    /**
     * One option, declared once: its long name, the label of its value (null for a switch), its help line, and how its
     * text becomes its value. The list below is in the order --help shows them.
     */
    private record Spec(String name, String label, String help, Converter<?> converter) {
        String longName() {
            return "--" + name;
        }
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("rehearsal", "SCENARIO",
                    "rehearse a built-in show or a scenario file (default: the last one, else steady-show)", v -> v),
            new Spec("seed", "N", "the show's seed, a whole number (default: the scenario's own)", new Seed()),
            new Spec("speed", "N|max", "engine seconds per wall second, 0.001 to 10000, or max (default 1)", new Speed()),
            new Spec("theme", "NAME", "dark, light or contrast (default: the one in the settings, else dark)", new ThemeName()),
            new Spec("screenshot", "FILE", "write a PNG of the main window (with --exit-after)", new FilePath()),
            new Spec("exit-after", "SECONDS", "exit (after the screenshot and bundle) this many seconds after the window opens. "
                    + "A rehearsal at a set speed counts on the show's clock and pauses there: --speed 20 --exit-after 18 holds "
                    + "6:00, and the screenshot and the bundle are both of that second. Elsewhere (--speed max, LIVE, a bundle) "
                    + "it counts wall seconds and nothing pauses: the screenshot and the bundle's pictures are of that moment, "
                    + "the bundle's data is what the edge answers just after", new Seconds()),
            new Spec("connect", "URL", "go LIVE: connect to an edge node started with `serve`", new NodeUrl()),
            new Spec("token-file", "FILE",
                    "a token file for that node: your own (operators add), or its DATA_DIR/token; remembered for that node",
                    new ReadableFile()),
            new Spec("bundle", "FILE.zip", "open a diagnostic bundle offline instead of rehearsing", new ReadableFile()),
            new Spec("tab", "NAME", "open on a tab: dashboard, flags, guardrails, timeline, jitter, settings; rehearsal (a "
                    + "rehearsal only); triggers (a rehearsal or LIVE); sources, requests, playbooks (LIVE only); fleet (LIVE "
                    + "on a fleet aggregator)", new TabName()),
            new Spec("export-bundle", "FILE", "write a diagnostic bundle (with --exit-after, before exiting)", new FilePath()),
            new Spec("report-startup", null, "print the milliseconds from JVM start to the first live frame", null),
            new Spec("report-fx", null, "print the FX thread's busy share, worst frame, heap and threads every 2 s", null),
            new Spec("insecure", null, "allow sending the token over plain http:// to an address beyond this machine", null));
    /** The two that print and end, each with a one-letter form as well. */
    private static final Spec HELP = new Spec("help", null, "Show this help message and exit.", null);
    private static final Spec VERSION = new Spec("version", null, "Print version information and exit.", null);

    /** The options as Commons CLI reads them; built once, as reading does not change them. */
    private static final Options OPTIONS = declared();

    private static Options declared() {
        Options options = new Options();
        for (Spec spec : SPECS) {
            Option.Builder option = Option.builder().longOpt(spec.name());
            if (spec.label() != null) {
                option.hasArg().argName(spec.label());
            }
            options.addOption(option.get());
        }
        options.addOption(Option.builder("h").longOpt(HELP.name()).get());
        options.addOption(Option.builder("V").longOpt(VERSION.name()).get());
        return options;
    }

    private static Spec spec(String name) {
        for (Spec spec : SPECS) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return name.equals(HELP.name()) ? HELP : name.equals(VERSION.name()) ? VERSION : null;
    }

    /** Writes --help: the synopsis, what the console is, each option with its help line, and what a mistake does. */
    static void usage(PrintWriter out) {
        List<String> synopsis = new ArrayList<>();
        synopsis.add("[-hV]");
        SPECS.stream().filter(s -> s.label() == null).map(Spec::longName).sorted()
                .forEach(n -> synopsis.add("[" + n + "]"));
        SPECS.stream().filter(s -> s.label() != null).sorted(java.util.Comparator.comparing(Spec::name))
                .forEach(s -> synopsis.add("[" + s.longName() + "=" + s.label() + "]"));
        String lead = "Usage: edgedeck ";
        wrap(out, lead, " ".repeat(lead.length()), String.join(" ", synopsis));
        wrap(out, "", "", DESCRIPTION);
        List<String> names = new ArrayList<>();
        List<Spec> shown = new ArrayList<>(SPECS);
        shown.add(HELP);
        shown.add(VERSION);
        for (Spec s : shown) {
            names.add(s.label() == null ? s.longName() : s.longName() + "=" + s.label());
        }
        int column = 6 + names.stream().mapToInt(String::length).max().orElse(0) + 3;
        for (int i = 0; i < shown.size(); i++) {
            Spec s = shown.get(i);
            String shortName = s == HELP ? "-h, " : s == VERSION ? "-V, " : "    ";
            String first = "  " + shortName + names.get(i);
            wrap(out, first + " ".repeat(column - first.length()), " ".repeat(column + 2), s.help());
        }
        FOOTER.forEach(out::println);
        out.flush();
    }

    /** Prints {@code text} word by word in lines shorter than the help's width: the first after {@code first}, the rest after {@code then}. */
    private static void wrap(PrintWriter out, String first, String then, String text) {
        StringBuilder line = new StringBuilder(first);
        int empty = line.length();
        for (String word : text.split(" ")) {
            if (line.length() > empty && line.length() + 1 + word.length() >= HELP_WIDTH) {
                out.println(line);
                line = new StringBuilder(then);
                empty = line.length();
            }
            if (line.length() > empty) {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line);
    }

    /** How the options combine, checked once each has been read: the one line naming what is wrong. */
    private static ConsoleOptions combined(java.util.Map<String, Object> values) throws UsageException {
        String scenario = (String) values.get("rehearsal");
        Long seed = (Long) values.get("seed");
        double speed = (Double) values.getOrDefault("speed", 1.0);
        Theme theme = (Theme) values.get("theme");
        Path screenshot = (Path) values.get("screenshot");
        double exitAfter = (Double) values.getOrDefault("exit-after", 0.0);
        URI connect = (URI) values.get("connect");
        Path tokenFile = (Path) values.get("token-file");
        Path bundle = (Path) values.get("bundle");
        String tab = (String) values.get("tab");
        Path exportBundle = (Path) values.get("export-bundle");
        boolean insecure = values.containsKey("insecure");
        if (screenshot != null && exitAfter == 0) {
            throw new UsageException("--screenshot needs --exit-after SECONDS: the time at which to take it");
        }
        if (exportBundle != null && exitAfter == 0) {
            throw new UsageException("--export-bundle needs --exit-after SECONDS: the time at which to write it");
        }
        if (tokenFile != null && connect == null) {
            throw new UsageException("--token-file goes with --connect URL: a rehearsal needs no token");
        }
        if (insecure && connect == null) {
            throw new UsageException("--insecure goes with --connect URL: only a live connection sends a token");
        }
        if (connect != null && bundle != null) {
            throw new UsageException("--connect and --bundle exclude each other: a bundle is opened offline");
        }
        if (scenario != null && (connect != null || bundle != null)) {
            throw new UsageException("--rehearsal goes without --connect and --bundle: it starts a rehearsal");
        }
        ConnectionMode mode = connect != null ? ConnectionMode.LIVE : bundle != null ? ConnectionMode.OFFLINE : ConnectionMode.REHEARSAL;
        if (tab != null && !inMode(tab, mode)) {
            throw new UsageException(tabRefusal(tab, switch (mode) {
                case LIVE -> "a LIVE console";
                case OFFLINE -> "a bundle (--bundle)";
                case REHEARSAL -> "a rehearsal";
            }));
        }
        return new ConsoleOptions(scenario, seed, speed, theme, screenshot, exitAfter, connect, tokenFile, bundle, tab,
                exportBundle, values.containsKey("report-startup"), values.containsKey("report-fx"), insecure);
    }
    /** Whether a console in {@code mode} can have {@code tab}; what it connects to may still leave it out. */
    static boolean inMode(String tab, ConnectionMode mode) {
        return switch (tab) {
            case "rehearsal" -> mode == ConnectionMode.REHEARSAL;
            case "sources", "requests", "playbooks", "fleet" -> mode == ConnectionMode.LIVE;
            case "triggers" -> mode != ConnectionMode.OFFLINE;
            default -> true;
        };
    }

    /**
     * The one line that refuses {@code --tab tab} for a console that lacks it, naming those that have it:
     * "--tab sources: only a LIVE console on an edge node (--connect) has that tab, not a rehearsal".
     */
    static String tabRefusal(String tab, String thisConsole) {
        String who = switch (tab) {
            case "rehearsal" -> "only a rehearsal has";
            case "sources", "requests", "playbooks" -> "only a LIVE console on an edge node (--connect) has";
            case "fleet" -> "only a LIVE console on a fleet aggregator (--connect) has";
            case "triggers" -> "only a rehearsal and a LIVE console on an edge node have";
            case "jitter" -> "only a rehearsal, a bundle and a LIVE console on an edge node have";
            default -> "every console has";
        };
        return "--tab " + tab + ": " + who + " that tab, not " + thisConsole;
    }

    /** What a command line asks for: the help, the version, or a console with the options read. */
    private record Asked(boolean help, boolean version, Map<String, Object> values) {
    }

    /**
     * Reads the options, checking each value and how they combine.
     *
     * @throws UsageException naming the option at fault
     */
    public static ConsoleOptions parse(List<String> args) throws UsageException {
        return combined(ask(args.toArray(String[]::new)).values());
    }

    /**
     * The command line as the launcher reads it: prints the help or the version and returns null,
     * or prints what is wrong (with "did you mean" for a misspelt option) and returns null with
     * {@code exitCode[0]} set to 2, or returns the options.
     */
    static ConsoleOptions read(String[] args, PrintWriter out, PrintWriter err, int[] exitCode) {
        try {
            Asked asked = ask(args);
            if (asked.help()) {
                usage(out);
                return null;
            }
            if (asked.version()) {
                out.println(io.edgedeck.client.BuildStamp.of(ConsoleOptions.class).describe("EdgeDeck console"));
                out.flush();
                return null;
            }
            return combined(asked.values());
        } catch (UsageException e) {
            err.println("edgedeck: " + e.getMessage());
            if (!e.suggestions().isEmpty()) {
                err.println("Did you mean " + String.join(" or ", e.suggestions()) + "?");
            }
            err.println("Run with --help to see every option.");
            err.flush();
            exitCode[0] = USAGE_ERROR;
            return null;
        }
    }

    /**
     * Reads each option given, in the order given, converting its value. Asked for the help or the version, an unknown
     * option or a stray word does not stop it (the help is what such a person needs); a bad value or an option given
     * twice still does.
     */
    private static Asked ask(String[] args) throws UsageException {
        Scan scan = scan(args);
        if (scan.unknown() != null) {
            if (scan.help() || scan.version()) {
                return new Asked(scan.help(), !scan.help(), Map.of());
            }
            throw unknown(scan.unknown());
        }
        CommandLine line;
        try {
            // Whole names only (--spee is not --speed), and a value's quotes are the value's, as the shell passed them.
            line = DefaultParser.builder().setAllowPartialMatching(false).setStripLeadingAndTrailingQuotes(false).get()
                    .parse(OPTIONS, args);
        } catch (UnrecognizedOptionException e) {
            throw unknown(e.getOption());
        } catch (MissingArgumentException e) {
            Spec spec = spec(e.getOption().getLongOpt());
            throw new UsageException(spec.longName() + " needs a value (" + spec.label() + ")");
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, Object> values = new HashMap<>();
        boolean help = false;
        boolean version = false;
        for (Option given : line.getOptions()) {
            Spec spec = spec(given.getLongOpt());
            if (spec == HELP || spec == VERSION) {
                help |= spec == HELP;
                version |= spec == VERSION;
                continue;
            }
            if (values.containsKey(spec.name())) {
                throw new UsageException(spec.longName() + " is given more than once; give it once");
            }
            values.put(spec.name(), spec.converter() == null ? Boolean.TRUE : converted(spec, given.getValue()));
        }
        if (!help && !version && !line.getArgList().isEmpty()) {
            String stray = line.getArgList().getFirst();
            if (stray.length() > 1 && stray.startsWith("@")) {
                throw new UsageException("'" + stray + "': argument files are not supported; give the options on the command line");
            }
            throw new UsageException("unexpected argument '" + stray + "'");
        }
        return new Asked(help, version, values);
    }

    /**
     * What a first pass over the options (up to a {@code --}) finds: whether the help or the version is asked, and
     * the first option the console does not have, or null.
     */
    private record Scan(boolean help, boolean version, String unknown) {
    }

    /**
     * The one place that tells an option the console has from one it does not, before Commons CLI reads them. An option
     * is {@code --name} or {@code --name=value} (a switch takes no value), or {@code -h}, {@code -V} or both together;
     * anything else starting with a dash where an option goes is unknown. Commons CLI alone would take a long name
     * after one dash ({@code -speed 20}) or with its value glued on ({@code -seed42}, {@code -themedark}), forms the
     * help never shows, and blame {@code -seedless} on {@code --seed}'s value.
     */
    private static Scan scan(String[] args) {
        boolean help = false;
        boolean version = false;
        String unknown = null;
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            String arg = args[i];
            if (arg.matches("-[hV]+")) {
                help |= arg.indexOf('h') > 0;
                version |= arg.indexOf('V') > 0;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                continue;
            }
            int equals = arg.indexOf('=');
            Spec spec = arg.startsWith("--") ? spec(arg.substring(2, equals < 0 ? arg.length() : equals)) : null;
            if (spec == null || spec.label() == null && equals >= 0) {
                unknown = unknown == null ? arg : unknown;
                continue;
            }
            help |= spec == HELP;
            version |= spec == VERSION;
            if (spec.label() != null && equals < 0) {
                i++; // its value, whatever it looks like: Commons CLI says whether it is one
            }
        }
        return new Scan(help, version, unknown);
    }

    /** An unknown option, said with the option first, and the options it may have meant. */
    private static UsageException unknown(String token) {
        int equals = token.indexOf('=');
        String name = equals < 0 ? token : token.substring(0, equals);
        Spec spec = name.startsWith("--") ? spec(name.substring(2)) : name.equals("-h") ? HELP : name.equals("-V") ? VERSION : null;
        if (spec != null && spec.label() == null && equals >= 0) {
            return new UsageException(name + " takes no value, not '" + token.substring(equals + 1) + "'");
        }
        return new UsageException("unknown option '" + name + "'", didYouMean(name));
    }

    /**
     * The options a mistyped one may have meant, whatever its case: those one or two keystrokes away (a letter missing,
     * extra, wrong or two swapped; one for a short name), that begin with what was typed, or whose name begins it (a
     * value glued on, as in -seed42), nearest first; only the one whose name it is, where it is one.
     */
    static List<String> didYouMean(String typed) {
        String word = typed.replaceFirst("^--?", "").toLowerCase(Locale.ROOT);
        if (word.length() < 2) {
            return List.of();
        }
        List<Spec> all = new ArrayList<>(SPECS);
        all.add(HELP);
        all.add(VERSION);
        record Near(Spec spec, int distance) {
        }
        List<Near> near = new ArrayList<>();
        for (Spec spec : all) {
            int d = io.edgedeck.simulator.scenario.Suggestions.distance(word, spec.name());
            if (d <= (spec.name().length() <= 4 ? 1 : 2) || word.length() >= 3 && spec.name().startsWith(word)
                    || word.startsWith(spec.name())) {
                near.add(new Near(spec, d));
            }
        }
        // The same name after one dash or in capitals is the one meant: no second guess beside it.
        int nearest = near.stream().mapToInt(Near::distance).min().orElse(-1);
        return near.stream().filter(n -> nearest != 0 || n.distance() == 0)
                .sorted(java.util.Comparator.comparingInt(Near::distance)).map(n -> n.spec().longName()).toList();
    }

    private static Object converted(Spec spec, String text) throws UsageException {
        try {
            return spec.converter().convert(text);
        } catch (BadValue e) {
            throw new UsageException(spec.longName() + ": " + e.getMessage());
        }
    }

    /** Turns an option's text into its value, or says what is wrong with it; the option's name is put before. */
    @FunctionalInterface
    interface Converter<T> {
        T convert(String text) throws BadValue;
    }

    /** What is wrong with an option's value, said after the option's name. */
    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** A file to write (--screenshot, --export-bundle): any path the system can name; whether it can be written is checked later. */
    static final class FilePath implements Converter<Path> {
        @Override
        public Path convert(String v) throws BadValue {
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw new BadValue("'" + v + "' is not a file path: " + e.getReason());
            }
        }
    }

    static final class Speed implements Converter<Double> {
        @Override
        public Double convert(String v) throws BadValue {
            if (v.toLowerCase(Locale.ROOT).equals("max")) {
                return 0.0;
            }
            double s;
            try {
                s = Double.parseDouble(v.endsWith("x") ? v.substring(0, v.length() - 1) : v);
            } catch (NumberFormatException e) {
                throw new BadValue("takes a number or max, not '" + v + "'");
            }
            if (!io.edgedeck.simulator.show.ShowRunner.speedTaken(s)) {
                throw new BadValue("must be " + io.edgedeck.simulator.show.ShowRunner.SPEED_RANGE
                        + ", or max; was " + v);
            }
            return s;
        }
    }

    static final class Seed implements Converter<Long> {
        @Override
        public Long convert(String v) throws BadValue {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new BadValue("takes a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                        + ", not '" + v + "'");
            }
        }
    }

    static final class ThemeName implements Converter<Theme> {
        @Override
        public Theme convert(String v) throws BadValue {
            try {
                return Theme.fromId(v);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }
    }

    static final class Seconds implements Converter<Double> {
        @Override
        public Double convert(String v) throws BadValue {
            double s;
            try {
                s = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new BadValue("takes a number of seconds, not '" + v + "'");
            }
            if (!(s > 0 && s < 86_400)) {
                throw new BadValue("must be greater than 0 and less than 86400 seconds; was " + v);
            }
            return s;
        }
    }

    static final class NodeUrl implements Converter<URI> {
        @Override
        public URI convert(String v) throws BadValue {
            try {
                URI uri = new URI(v);
                if (uri.getRawUserInfo() != null) {
                    // A name and password in the URL are not how a node is reached (its token file is), and are not
                    // said back, so they end up in no terminal log.
                    throw new BadValue("takes an http(s) URL without a name or password in it (such as"
                            + " http://127.0.0.1:8787; the token goes in --token-file), not one with '...@'");
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    // Every call the console makes adds its path to this URL: a query would go with each and the node
                    // refuses parameters a call does not take, so the console could do nothing.
                    throw new BadValue("takes the node's address without a query or fragment (such as"
                            + " http://127.0.0.1:8787), not '" + v + "'");
                }
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getUserInfo() == null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // falls through to the message below
            }
            throw new BadValue("takes an http(s) URL such as http://127.0.0.1:8787, not '" + v + "'");
        }
    }

    /** A file that must be there and readable now, so a typo is reported against its option before any window opens. */
    static final class ReadableFile implements Converter<Path> {
        @Override
        public Path convert(String v) throws BadValue {
            Path p = new FilePath().convert(v);
            if (!Files.exists(p)) {
                throw new BadValue(v + ": no such file");
            }
            if (!Files.isRegularFile(p)) {
                throw new BadValue(v + " is not a file");
            }
            if (!Files.isReadable(p)) {
                throw new BadValue(v + " cannot be read (permission denied)");
            }
            return p;
        }
    }

    static final class TabName implements Converter<String> {
        @Override
        public String convert(String v) throws BadValue {
            String name = v.toLowerCase(Locale.ROOT);
            if (!TABS.contains(name)) {
                throw new BadValue("no tab '" + v + "'; the tabs are " + String.join(", ", TABS));
            }
            return name;
        }
    }
}
