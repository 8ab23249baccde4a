package io.capstan.agent.pods;

import io.capstan.agent.env.EnvResolver;
import io.capstan.agent.volumes.ResolvConf;
import io.capstan.agent.volumes.VolumeManager;
import java.util.function.Consumer;

/**
 * What the pod sync uses besides the runtime: environment resolution, volumes, the pod's DNS settings,
 * probes, and a way to have a pod looked at again soon (a probe result changed).
 */
record PodServices(EnvResolver env, VolumeManager volumes, ResolvConf dns, PodProbes probes, Consumer<String> requeue) {}
