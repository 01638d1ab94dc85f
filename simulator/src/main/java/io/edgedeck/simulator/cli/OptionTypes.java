package io.edgedeck.simulator.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The value types options share, each parsed and bounded in one place. picocli puts a converter's
 * message after the option's name: "Invalid value for option '--speed': ...".
 */
final class OptionTypes {
    private OptionTypes() {
    }

    /** Engine seconds per wall second, {@code 1}, {@code 10x} or {@code max} (0: as fast as possible). */
    static final class Speed implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if (value.equalsIgnoreCase("max")) {
                return 0.0;
            }
            try {
                double s = Double.parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
                if (io.edgedeck.simulator.show.ShowRunner.speedTaken(s)) {
                    return s;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new TypeConversionException("takes max or a number " + io.edgedeck.simulator.show.ShowRunner.SPEED_RANGE
                    + ", not '" + value + "'");
        }
    }

    /** A whole number in a range ({@link #wholeNumber}): each option's converter names only its bounds. */
    abstract static class WholeNumber implements ITypeConverter<Integer> {
        private final int min;
        private final int max;

        WholeNumber(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String value) {
            return wholeNumber(value, min, max);
        }
    }

    /** A TCP port, 0 for any free one. */
    static final class Port extends WholeNumber {
        Port() {
            super(0, 65_535);
        }
    }

    /** Engine seconds into a show, 1 to 86400, for an option that holds a {@code Long}. */
    static final class ShowSeconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return (long) wholeNumber(value, 1, 86_400);
        }
    }

    /** How many seeds a sweep plays, 1 to 100000. */
    static final class Seeds extends WholeNumber {
        Seeds() {
            super(1, 100_000);
        }
    }

    /** How many shows a sweep plays at once, 1 to 64. */
    static final class Threads extends WholeNumber {
        Threads() {
            super(1, 64);
        }
    }

    /**
     * A node's data directory, named: an empty value (a script's unset variable) would be the current
     * directory, which a node or its operators file would then fill.
     */
    static final class DataDirectory implements ITypeConverter<java.nio.file.Path> {
        @Override
        public java.nio.file.Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("takes the node's data directory, not '" + value + "'");
            }
            return java.nio.file.Path.of(value);
        }
    }

    /** An address of this machine to listen on. */
    static final class Address implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("'" + value + "' is not an address of this machine");
            }
        }
    }

    /** A base URL a node is reached at: http or https, a host, an optional port, and no path, query or fragment. */
    static final class BaseUrl implements ITypeConverter<java.net.URI> {
        @Override
        public java.net.URI convert(String value) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new TypeConversionException("takes a base URL such as http://10.0.0.7:8787 (http or https, a host and a"
                        + " port, nothing after them), not '" + value + "'");
            }
            return uri;
        }
    }

    /** A node's name: a directory name that is the same on every OS. */
    static final class NodeName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new TypeConversionException("takes letters, digits, '.', '_' and '-' (up to 64, a letter or digit first), not '"
                        + value + "'");
            }
            return value;
        }
    }

    /** A role a person's token may have: viewer, operator or approver (admin is the node owner's token alone). */
    static final class PersonRole implements ITypeConverter<io.edgedeck.client.model.Role> {
        @Override
        public io.edgedeck.client.model.Role convert(String value) {
            for (io.edgedeck.client.model.Role r : io.edgedeck.client.model.Role.values()) {
                if (r != io.edgedeck.client.model.Role.ADMIN && r.id().equalsIgnoreCase(value)) {
                    return r;
                }
            }
            throw new TypeConversionException("takes viewer, operator or approver, not '" + value + "'");
        }
    }

    static int wholeNumber(String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new TypeConversionException("takes a whole number from " + min + " to " + max + ", not '" + value + "'");
    }
}
