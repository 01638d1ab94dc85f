package io.edgedeck.console;

import io.edgedeck.client.ConnectionMode;
import io.edgedeck.themes.Theme;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The console's command line, read by picocli: each option is declared once below, with its help
 * text, its conversion and its checks, and {@code --help} is generated from those declarations.
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
        public UsageException(String message) {
            super(message);
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

    /** The options as picocli declares them; {@link #toOptions()} checks how they combine. */
    @Command(name = "edgedeck", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
            versionProvider = Declared.Version.class,
            description = "The EdgeDeck console: rehearse a show (the default), go LIVE on an edge node, or open a "
                    + "diagnostic bundle offline.",
            footer = {"", "A mistake on the command line names the option and exits with status 2, as does a --screenshot or",
                    "--export-bundle file that cannot be written. If one still cannot be written at --exit-after, the",
                    "console names it and exits with status 3, as it does when a rehearsal stalls short of its",
                    "--exit-after minute (after four times the asked seconds, and at least two minutes more)."})
    static final class Declared {
        @Option(names = "--rehearsal", paramLabel = "SCENARIO",
                description = "rehearse a built-in show or a scenario file (default: the last one, else steady-show)")
        String scenario;

        @Option(names = "--seed", paramLabel = "N", converter = Seed.class,
                description = "the show's seed, a whole number (default: the scenario's own)")
        Long seed;

        @Option(names = "--speed", paramLabel = "N|max", converter = Speed.class,
                description = "engine seconds per wall second, 0.001 to 10000, or max (default 1)")
        double speed = 1;

        @Option(names = "--theme", paramLabel = "NAME", converter = ThemeName.class,
                description = "dark, light or contrast (default: the one in the settings, else dark)")
        Theme theme;

        @Option(names = "--screenshot", paramLabel = "FILE", description = "write a PNG of the main window (with --exit-after)")
        Path screenshot;

        @Option(names = "--exit-after", paramLabel = "SECONDS", converter = Seconds.class,
                description = "exit (after the screenshot and bundle) this many seconds after the window opens. A rehearsal "
                        + "at a set speed counts on the show's clock and pauses there: --speed 20 --exit-after 18 holds 6:00, and "
                        + "the screenshot and the bundle are both of that second. Elsewhere (--speed max, LIVE, a bundle) it "
                        + "counts wall seconds and nothing pauses: the screenshot and the bundle's pictures are of that moment, "
                        + "the bundle's data is what the edge answers just after")
        double exitAfter;

        @Option(names = "--connect", paramLabel = "URL", converter = NodeUrl.class,
                description = "go LIVE: connect to an edge node started with `serve`")
        URI connect;

        @Option(names = "--token-file", paramLabel = "FILE", converter = ReadableFile.class,
                description = "a token file for that node: your own (operators add), or its DATA_DIR/token; remembered for that node")
        Path tokenFile;

        @Option(names = "--bundle", paramLabel = "FILE.zip", converter = ReadableFile.class,
                description = "open a diagnostic bundle offline instead of rehearsing")
        Path bundle;

        @Option(names = "--tab", paramLabel = "NAME", converter = TabName.class,
                description = "open on a tab: dashboard, flags, guardrails, timeline, jitter, settings; rehearsal (a rehearsal only); "
                        + "triggers (a rehearsal or LIVE); sources, requests, playbooks (LIVE only); fleet (LIVE on a fleet aggregator)")
        String tab;

        @Option(names = "--export-bundle", paramLabel = "FILE",
                description = "write a diagnostic bundle (with --exit-after, before exiting)")
        Path exportBundle;

        @Option(names = "--report-startup", description = "print the milliseconds from JVM start to the first live frame")
        boolean reportStartup;

        @Option(names = "--report-fx", description = "print the FX thread's busy share, worst frame, heap and threads every 2 s")
        boolean reportFx;

        @Option(names = "--insecure", description = "allow sending the token over plain http:// to an address beyond this machine")
        boolean insecure;

        ConsoleOptions toOptions(CommandLine line) {
            if (screenshot != null && exitAfter == 0) {
                throw new ParameterException(line, "--screenshot needs --exit-after SECONDS: the time at which to take it");
            }
            if (exportBundle != null && exitAfter == 0) {
                throw new ParameterException(line, "--export-bundle needs --exit-after SECONDS: the time at which to write it");
            }
            if (tokenFile != null && connect == null) {
                throw new ParameterException(line, "--token-file goes with --connect URL: a rehearsal needs no token");
            }
            if (insecure && connect == null) {
                throw new ParameterException(line, "--insecure goes with --connect URL: only a live connection sends a token");
            }
            if (connect != null && bundle != null) {
                throw new ParameterException(line, "--connect and --bundle exclude each other: a bundle is opened offline");
            }
            if (scenario != null && (connect != null || bundle != null)) {
                throw new ParameterException(line, "--rehearsal goes without --connect and --bundle: it starts a rehearsal");
            }
            ConnectionMode mode = connect != null ? ConnectionMode.LIVE : bundle != null ? ConnectionMode.OFFLINE : ConnectionMode.REHEARSAL;
            if (tab != null && !inMode(tab, mode)) {
                throw new ParameterException(line, tabRefusal(tab, switch (mode) {
                    case LIVE -> "a LIVE console";
                    case OFFLINE -> "a bundle (--bundle)";
                    case REHEARSAL -> "a rehearsal";
                }));
            }
            return new ConsoleOptions(scenario, seed, speed, theme, screenshot, exitAfter, connect, tokenFile, bundle, tab,
                    exportBundle, reportStartup, reportFx, insecure);
        }

        static final class Version implements CommandLine.IVersionProvider {
            @Override
            public String[] getVersion() {
                return new String[]{io.edgedeck.client.BuildStamp.of(ConsoleOptions.class).describe("EdgeDeck console")};
            }
        }
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

    /** A fresh command line for these options: one per parse, as picocli keeps the values it read. */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Declared());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        return line;
    }

    /**
     * Reads the options, checking each value and how they combine.
     *
     * @throws UsageException naming the option at fault
     */
    public static ConsoleOptions parse(List<String> args) throws UsageException {
        CommandLine line = commandLine();
        try {
            line.parseArgs(args.toArray(String[]::new));
            return ((Declared) line.getCommand()).toOptions(line);
        } catch (ParameterException e) {
            throw new UsageException(message(e));
        }
    }

    /**
     * The command line as the launcher reads it: prints the help or the version and returns null,
     * or prints what is wrong (with "did you mean" for a misspelt option) and returns null with
     * {@code exitCode[0]} set to 2, or returns the options.
     */
    static ConsoleOptions read(String[] args, PrintWriter out, PrintWriter err, int[] exitCode) {
        CommandLine line = commandLine();
        try {
            line.parseArgs(args);
            if (line.isUsageHelpRequested()) {
                line.usage(out);
                out.flush();
                return null;
            }
            if (line.isVersionHelpRequested()) {
                line.printVersionHelp(out);
                out.flush();
                return null;
            }
            return ((Declared) line.getCommand()).toOptions(line);
        } catch (ParameterException e) {
            err.println("edgedeck: " + message(e));
            if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                err.println("Did you mean " + String.join(" or ", u.getSuggestions()) + "?");
            }
            err.println("Run with --help to see every option.");
            err.flush();
            exitCode[0] = CommandLine.ExitCode.USAGE;
            return null;
        }
    }

    /** picocli's message, said the way the rest of EdgeDeck says it: the option first. */
    private static String message(ParameterException e) {
        String m = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            return first.startsWith("-") ? "unknown option '" + first + "'" : "unexpected argument '" + first + "'";
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().getFirst() instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName() + " needs a value (" + o.paramLabel() + ")";
        }
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec o && e.getCause() instanceof TypeConversionException t) {
            return o.longestName() + ": " + t.getMessage();
        }
        return m;
    }

    static final class Speed implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            if (v.toLowerCase(Locale.ROOT).equals("max")) {
                return 0.0;
            }
            double s;
            try {
                s = Double.parseDouble(v.endsWith("x") ? v.substring(0, v.length() - 1) : v);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("takes a number or max, not '" + v + "'");
            }
            if (!io.edgedeck.simulator.show.ShowRunner.speedTaken(s)) {
                throw new TypeConversionException("must be " + io.edgedeck.simulator.show.ShowRunner.SPEED_RANGE
                        + ", or max; was " + v);
            }
            return s;
        }
    }

    static final class Seed implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("takes a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                        + ", not '" + v + "'");
            }
        }
    }

    static final class ThemeName implements CommandLine.ITypeConverter<Theme> {
        @Override
        public Theme convert(String v) {
            try {
                return Theme.fromId(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Seconds implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            double s;
            try {
                s = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("takes a number of seconds, not '" + v + "'");
            }
            if (!(s > 0 && s < 86_400)) {
                throw new TypeConversionException("must be greater than 0 and less than 86400 seconds; was " + v);
            }
            return s;
        }
    }

    static final class NodeUrl implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String v) {
            try {
                URI uri = new URI(v);
                if (uri.getRawUserInfo() != null) {
                    // A name and password in the URL are not how a node is reached (its token file is), and are not
                    // said back, so they end up in no terminal log.
                    throw new TypeConversionException("takes an http(s) URL without a name or password in it (such as"
                            + " http://127.0.0.1:8787; the token goes in --token-file), not one with '...@'");
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    // Every call the console makes adds its path to this URL: a query would go with each and the node
                    // refuses parameters a call does not take, so the console could do nothing.
                    throw new TypeConversionException("takes the node's address without a query or fragment (such as"
                            + " http://127.0.0.1:8787), not '" + v + "'");
                }
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getUserInfo() == null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // falls through to the message below
            }
            throw new TypeConversionException("takes an http(s) URL such as http://127.0.0.1:8787, not '" + v + "'");
        }
    }

    /** A file that must be there and readable now, so a typo is reported against its option before any window opens. */
    static final class ReadableFile implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String v) {
            Path p;
            try {
                p = Path.of(v);
            } catch (InvalidPathException e) {
                throw new TypeConversionException("'" + v + "' is not a file path: " + e.getReason());
            }
            if (!Files.exists(p)) {
                throw new TypeConversionException(v + ": no such file");
            }
            if (!Files.isRegularFile(p)) {
                throw new TypeConversionException(v + " is not a file");
            }
            if (!Files.isReadable(p)) {
                throw new TypeConversionException(v + " cannot be read (permission denied)");
            }
            return p;
        }
    }

    static final class TabName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String v) {
            String name = v.toLowerCase(Locale.ROOT);
            if (!TABS.contains(name)) {
                throw new TypeConversionException("no tab '" + v + "'; the tabs are " + String.join(", ", TABS));
            }
            return name;
        }
    }
}
