package io.capstan.scheduler.framework;

import io.capstan.client.ObjectCache;

/** The storage objects volume scheduling reads: claims, volumes and classes, as the informers hold them. */
public record VolumeObjects(ObjectCache claims, ObjectCache volumes, ObjectCache classes) {}
