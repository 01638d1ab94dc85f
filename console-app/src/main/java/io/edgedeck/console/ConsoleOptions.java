package io.edgedeck.console;

import io.edgedeck.themes.Theme;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The console's command line.
 *
 * @param scenario       the rehearsal scenario: a built-in name or a file
 * @param seed           the show's seed, or null for the scenario's own
 * @param speed          engine seconds per wall second; 0 for as fast as possible
 * @param screenshot     where to write a PNG of the main window, or null
 * @param exitAfterSeconds when to take the screenshot and exit, or 0 to run until closed
 * @param connect        a live edge node's URL, or null to rehearse
 * @param tokenFile      where to read the node's token from, or null for the one stored from an earlier use
 * @param bundle         a diagnostic bundle to open offline instead of rehearsing, or null
 * @param tab            the title of the tab to show first, or null for the first
 * @param exportBundle   where to write a diagnostic bundle at {@code exitAfterSeconds}, or null
 * @param reportStartup  print the time from JVM start to the first live frame on the FX thread
 * @param reportFx       print, every 2 s from the first frame and at exit, the FX thread's busy share, the worst frame,
 *                       the heap after collection and the live threads
 * @param insecure       send the node's token over plain HTTP to an address beyond this machine
 */
public record ConsoleOptions(String scenario, Long seed, double speed, Theme theme, Path screenshot,
                             double exitAfterSeconds, java.net.URI connect, Path tokenFile, Path bundle, String tab,
                             Path exportBundle, boolean reportStartup, boolean reportFx, boolean insecure) {

    /** A rehearsal's options. */
    public ConsoleOptions(String scenario, Long seed, double speed, Theme theme, Path screenshot, double exitAfterSeconds) {
        this(scenario, seed, speed, theme, screenshot, exitAfterSeconds, null, null, null, null, null, false, false, false);
    }

    public static final String USAGE = """
            Usage: java -jar edgedeck-console.jar [options]
              --rehearsal SCENARIO   rehearse a built-in show or a scenario file (default: the last one, else steady-show)
              --seed N               the show's seed (default: the scenario's own)
              --speed N|max          engine seconds per wall second (default 1)
              --theme NAME           dark, light or contrast (default: the one in the settings, else dark)
              --screenshot FILE      write a PNG of the main window (with --exit-after)
              --exit-after SECONDS   exit after this many seconds
              --connect URL          go LIVE: connect to an edge node (e.g. http://127.0.0.1:8787)
              --token-file FILE      the node's token file (its DATA_DIR/token); remembered for that node
              --insecure             allow sending the token over plain http:// to an address beyond this machine
              --bundle FILE.zip      open a diagnostic bundle offline instead of rehearsing
              --tab NAME             open on a tab: dashboard, flags, guardrails, timeline, rehearsal, jitter, settings
              --export-bundle FILE   write a diagnostic bundle (with --exit-after, before exiting)
              --report-startup       print the milliseconds from JVM start to the first live frame
              --report-fx            print the FX thread's busy share, worst frame, heap and threads every 2 s
              --help                 print this and exit
            """;

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

    public static ConsoleOptions defaults() {
        return new ConsoleOptions("steady-show", null, 1, Theme.DARK, null, 0);
    }

    public static ConsoleOptions parse(List<String> args) throws UsageException {
        ConsoleOptions o = defaults();
        String scenario = o.scenario;
        Long seed = o.seed;
        double speed = o.speed;
        Theme theme = o.theme;
        Path screenshot = null;
        double exitAfter = 0;
        java.net.URI connect = null;
        Path tokenFile = null;
        Path bundle = null;
        String tab = null;
        Path exportBundle = null;
        boolean reportStartup = false;
        boolean reportFx = false;
        boolean insecure = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--rehearsal" -> scenario = value(args, ++i, a);
                case "--seed" -> {
                    String v = value(args, ++i, a);
                    try {
                        seed = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--seed takes a whole number, not '" + v + "'");
                    }
                }
                case "--speed" -> speed = parseSpeed(value(args, ++i, a));
                case "--theme" -> {
                    String v = value(args, ++i, a);
                    try {
                        theme = Theme.fromId(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--theme: " + e.getMessage());
                    }
                }
                case "--tab" -> tab = value(args, ++i, a).toLowerCase(Locale.ROOT);
                case "--screenshot" -> screenshot = Path.of(value(args, ++i, a));
                case "--bundle" -> bundle = Path.of(value(args, ++i, a));
                case "--export-bundle" -> exportBundle = Path.of(value(args, ++i, a));
                case "--exit-after" -> {
                    String v = value(args, ++i, a);
                    try {
                        exitAfter = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--exit-after takes a number of seconds, not '" + v + "'");
                    }
                    if (!(exitAfter > 0 && exitAfter < 86_400)) {
                        throw new UsageException("--exit-after must be between 0 and 86400 seconds, was " + v);
                    }
                }
                case "--connect" -> connect = parseUrl(value(args, ++i, a));
                case "--token-file" -> tokenFile = Path.of(value(args, ++i, a));
                case "--report-startup" -> reportStartup = true;
                case "--report-fx" -> reportFx = true;
                case "--insecure" -> insecure = true;
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (screenshot != null && exitAfter == 0) {
            throw new UsageException("--screenshot needs --exit-after SECONDS: the time at which to take it");
        }
        if (tokenFile != null && connect == null) {
            throw new UsageException("--token-file goes with --connect URL: a rehearsal needs no token");
        }
        if (exportBundle != null && exitAfter == 0) {
            throw new UsageException("--export-bundle needs --exit-after SECONDS: the time at which to write it");
        }
        if (connect != null && bundle != null) {
            throw new UsageException("--connect and --bundle exclude each other: a bundle is opened offline");
        }
        if (insecure && connect == null) {
            throw new UsageException("--insecure goes with --connect URL: only a live connection sends a token");
        }
        return new ConsoleOptions(scenario, seed, speed, theme, screenshot, exitAfter, connect, tokenFile, bundle, tab,
                exportBundle, reportStartup, reportFx, insecure);
    }

    static java.net.URI parseUrl(String v) throws UsageException {
        try {
            java.net.URI uri = new java.net.URI(v);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the message below
        }
        throw new UsageException("--connect takes an http(s) URL such as http://127.0.0.1:8787, not '" + v + "'");
    }

    static double parseSpeed(String v) throws UsageException {
        if (v.toLowerCase(Locale.ROOT).equals("max")) {
            return 0;
        }
        try {
            double s = Double.parseDouble(v.endsWith("x") ? v.substring(0, v.length() - 1) : v);
            if (!(s > 0 && s <= 10_000)) {
                throw new UsageException("--speed must be between 0 and 10000, or max; was " + v);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new UsageException("--speed takes a number or max, not '" + v + "'");
        }
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }
}
