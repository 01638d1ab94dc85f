package io.edgedeck.client.model;

/** @param speed engine seconds per wall second; 0 for as fast as the engine can go */
public record SpeedChange(double speed) {
}
