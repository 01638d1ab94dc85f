package io.edgedeck.engine.guardrails;

/**
 * The radius of an anytime-valid confidence sequence for a mean: the two-sided normal-mixture
 * boundary of Howard, Ramdas, McAuliffe and Sekhon ("Time-uniform, nonparametric, nonasymptotic
 * confidence sequences", Annals of Statistics 2021). For observations with standard deviation
 * sigma, the true mean lies within
 *
 * <pre>  sigma * sqrt( 2 (n rho^2 + 1) / (n^2 rho^2) * ln( sqrt(n rho^2 + 1) / (alpha / 2) ) )</pre>
 *
 * of the sample mean at every n at once, with probability at least 1 - alpha. A guardrail looks at
 * its metrics every engine second; a fixed-sample interval checked that often would be crossed by
 * noise alone sooner or later, while this boundary stays honest however often it is checked.
 * rho sets the sample size where the boundary is tightest; we tune it to the rule's minimum
 * exposures, where decisions start.
 */
public final class AnytimeBound {
    private AnytimeBound() {
    }

    public static double radius(long n, double sigma, double alpha, long tightestAt) {
        if (n <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double rho2 = rho2(alpha, Math.max(1, tightestAt));
        double nr = n * rho2;
        double inner = 2 * (nr + 1) / ((double) n * n * rho2) * Math.log(Math.sqrt(nr + 1) / (alpha / 2));
        return sigma * Math.sqrt(inner);
    }

    /** The mixture variance that makes the boundary tightest near {@code m} observations. */
    static double rho2(double alpha, long m) {
        double l = -2 * Math.log(alpha / 2);
        return (l + Math.log(l + 1)) / m;
    }
}
