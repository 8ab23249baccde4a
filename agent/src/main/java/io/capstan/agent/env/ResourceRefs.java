package io.capstan.agent.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The downward API's container resources (resourceFieldRef), as the kubelet's ExtractContainerResourceValue reads
 * them: the value divided by the divisor (default 1), rounded up; a limit the container does not set is the node's
 * allocatable (the kubelet's defaultPodLimitsForDownwardAPI).
 */
public final class ResourceRefs {

    private static final List<String> DEFAULTED = List.of("cpu", "memory", "ephemeral-storage");

    private ResourceRefs() {}

    /**
     * The value for {@code selector}; its containerName names the container (required in volumes), or else
     * {@code container} is meant.
     */
    public static String value(ResourceFieldSelector selector, Pod pod, Container container, Map<String, Quantity> allocatable) {
        Container target = container;
        if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
            target = Stream.concat(list(pod.getSpec().getContainers()).stream(), list(pod.getSpec().getInitContainers()).stream())
                    .filter(c -> selector.getContainerName().equals(c.getName())).findFirst()
                    .orElseThrow(() -> new ContainerConfigError("container " + selector.getContainerName() + " not found"));
        }
        if (target == null) {
            throw new ContainerConfigError("resourceFieldRef " + selector.getResource() + " names no container");
        }
        BigDecimal divisor = selector.getDivisor() == null || amount(selector.getDivisor()).signum() == 0
                ? BigDecimal.ONE : amount(selector.getDivisor());
        String resource = selector.getResource();
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        if (!(kind.equals("limits") || kind.equals("requests"))
                || !(DEFAULTED.contains(name) || name.startsWith("hugepages-"))) {
            throw new ContainerConfigError("unsupported container resource : " + resource);
        }
        Map<String, Quantity> values = kind.equals("limits") ? limits(target, allocatable) : requests(target);
        Quantity q = values.get(name);
        BigDecimal value = q == null ? BigDecimal.ZERO : amount(q);
        if (name.equals("cpu")) {
            // The kubelet divides milli-values: both sides are rounded up to whole millicores first.
            value = value.movePointRight(3).setScale(0, RoundingMode.CEILING);
            divisor = divisor.movePointRight(3).setScale(0, RoundingMode.CEILING);
        } else {
            value = value.setScale(0, RoundingMode.CEILING);
            divisor = divisor.setScale(0, RoundingMode.CEILING);
        }
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    /** A container's limits with cpu, memory and ephemeral-storage filled from the node's allocatable where unset or zero. */
    public static Map<String, Quantity> limits(Container container, Map<String, Quantity> allocatable) {
        Map<String, Quantity> limits = new HashMap<>();
        if (container.getResources() != null && container.getResources().getLimits() != null) {
            limits.putAll(container.getResources().getLimits());
        }
        for (String name : DEFAULTED) {
            Quantity q = limits.get(name);
            if ((q == null || amount(q).signum() == 0) && allocatable.containsKey(name)) {
                limits.put(name, allocatable.get(name));
            }
        }
        return limits;
    }

    private static Map<String, Quantity> requests(Container container) {
        if (container.getResources() == null || container.getResources().getRequests() == null) {
            return Map.of();
        }
        return container.getResources().getRequests();
    }

    private static BigDecimal amount(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
