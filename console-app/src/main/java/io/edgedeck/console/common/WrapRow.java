package io.edgedeck.console.common;

import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.layout.Pane;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups of controls on one line, the last at the line's right end, wherever the width holds them all; in a narrower
 * window each group goes on the first line with room for it, from the left, so nothing is pushed past the window's
 * edge. A group is never broken or squeezed: each keeps its whole width, and the row is at least as wide as its widest.
 */
public final class WrapRow extends Pane {
    private final double hgap;
    private final double vgap;

    /** @param hgap between groups on a line; @param vgap between lines */
    public WrapRow(double hgap, double vgap, Node... groups) {
        super(groups);
        this.hgap = hgap;
        this.vgap = vgap;
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computeMinWidth(double height) {
        double widest = 0;
        for (Node n : getManagedChildren()) {
            widest = Math.max(widest, n.prefWidth(-1));
        }
        return snappedLeftInset() + widest + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        List<Node> groups = getManagedChildren();
        double width = snappedLeftInset() + snappedRightInset() + hgap * Math.max(0, groups.size() - 1);
        for (Node n : groups) {
            width += n.prefWidth(-1);
        }
        return width;
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefHeight(double width) {
        List<List<Node>> lines = lines(width);
        double height = snappedTopInset() + snappedBottomInset() + vgap * Math.max(0, lines.size() - 1);
        for (List<Node> line : lines) {
            height += lineHeight(line);
        }
        return height;
    }

    @Override
    protected void layoutChildren() {
        List<List<Node>> lines = lines(getWidth());
        double y = snappedTopInset();
        double right = getWidth() - snappedRightInset();
        for (List<Node> line : lines) {
            double height = lineHeight(line);
            double x = snappedLeftInset();
            for (int i = 0; i < line.size(); i++) {
                Node n = line.get(i);
                double w = n.prefWidth(-1);
                // One line holding every group: the last sits at its right end, as a toolbar's actions do.
                if (lines.size() == 1 && i == line.size() - 1 && line.size() > 1) {
                    x = Math.max(x, right - w);
                }
                layoutInArea(n, x, y, w, height, 0, javafx.geometry.HPos.LEFT, javafx.geometry.VPos.CENTER);
                x += w + hgap;
            }
            y += height + vgap;
        }
    }

    /** The groups line by line for {@code width} (any width below zero holds all of them). */
    private List<List<Node>> lines(double width) {
        double room = width < 0 ? Double.MAX_VALUE : width - snappedLeftInset() - snappedRightInset();
        List<List<Node>> lines = new ArrayList<>();
        List<Node> line = new ArrayList<>();
        double used = 0;
        for (Node n : getManagedChildren()) {
            double w = n.prefWidth(-1);
            if (!line.isEmpty() && used + hgap + w > room + 0.5) {
                lines.add(line);
                line = new ArrayList<>();
                used = 0;
            }
            used += (line.isEmpty() ? 0 : hgap) + w;
            line.add(n);
        }
        if (!line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    private static double lineHeight(List<Node> line) {
        double height = 0;
        for (Node n : line) {
            height = Math.max(height, n.prefHeight(n.prefWidth(-1)));
        }
        return height;
    }
}
