package io.capstan.runtime;

import java.time.Instant;

/** A reading of a cgroup: cumulative CPU time in nanoseconds and the memory working set in bytes (as cAdvisor defines it). */
public record ResourceUsage(Instant at, long cpuUsageNanos, long memoryWorkingSetBytes) {}
