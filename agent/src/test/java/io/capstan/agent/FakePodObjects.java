package io.capstan.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** PodObjects held in maps, for tests. */
public final class FakePodObjects implements PodObjects {

    private final Map<String, Object> objects = new HashMap<>();

    public FakePodObjects configMap(String namespace, String name, Map<String, String> data) {
        objects.put("cm/" + namespace + "/" + name,
                new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().withData(data).build());
        return this;
    }

    public FakePodObjects add(ConfigMap cm) {
        objects.put("cm/" + cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm);
        return this;
    }

    public FakePodObjects secret(String namespace, String name, Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        objects.put("secret/" + namespace + "/" + name,
                new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().withData(data).build());
        return this;
    }

    public FakePodObjects add(PersistentVolumeClaim pvc) {
        objects.put("pvc/" + pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName(), pvc);
        return this;
    }

    public FakePodObjects add(PersistentVolume pv) {
        objects.put("pv/" + pv.getMetadata().getName(), pv);
        return this;
    }

    public void remove(String kindPrefix, String key) {
        objects.remove(kindPrefix + "/" + key);
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable((ConfigMap) objects.get("cm/" + namespace + "/" + name));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable((Secret) objects.get("secret/" + namespace + "/" + name));
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return Optional.ofNullable((PersistentVolumeClaim) objects.get("pvc/" + namespace + "/" + name));
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return Optional.ofNullable((PersistentVolume) objects.get("pv/" + name));
    }
}
