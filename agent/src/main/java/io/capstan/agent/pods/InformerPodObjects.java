package io.capstan.agent.pods;

import io.capstan.agent.PodObjects;
import io.capstan.api.Json;
import io.capstan.client.ObjectCache;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** What pods reference (ConfigMaps, Secrets, claims and volumes), read from the agent's informers. */
final class InformerPodObjects implements PodObjects {

    private final ObjectCache configMaps;
    private final ObjectCache secrets;
    private final ObjectCache claims;
    private final ObjectCache volumes;

    InformerPodObjects(ObjectCache configMaps, ObjectCache secrets, ObjectCache claims, ObjectCache volumes) {
        this.configMaps = configMaps;
        this.secrets = secrets;
        this.claims = claims;
        this.volumes = volumes;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return configMaps.get(namespace, name).map(o -> Json.typed(o, ConfigMap.class));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return secrets.get(namespace, name).map(o -> Json.typed(o, Secret.class));
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return claims.get(namespace, name).map(o -> Json.typed(o, PersistentVolumeClaim.class));
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return volumes.get("", name).map(o -> Json.typed(o, PersistentVolume.class));
    }
}
