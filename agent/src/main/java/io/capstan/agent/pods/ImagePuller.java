package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.runtime.image.Image;
import io.capstan.runtime.image.ImageException;
import io.capstan.runtime.image.ImageStore;
import io.capstan.runtime.image.PullListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Makes a container's image present by its pull policy, with the kubelet's events and waiting reasons. */
final class ImagePuller {

    /** An image the container cannot have: the waiting reason (ErrImagePull, ErrImageNeverPull, ImagePullBackOff) and message. */
    static final class PullFailure extends RuntimeException {
        final String reason;

        PullFailure(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private final ImageStore images;
    private final Api api;
    private final EventRecorder events;
    private final Clock clock;

    ImagePuller(ImageStore images, Api api, EventRecorder events, Clock clock) {
        this.images = images;
        this.api = api;
        this.events = events;
        this.clock = clock;
    }

    Image ensure(JsonNode pod, JsonNode container) {
        String ref = container.path("image").asText("");
        String policy = container.path("imagePullPolicy").asText(defaultPolicy(ref));
        Optional<Image> present = images.find(ref);
        if (present.isPresent() && !policy.equals("Always")) {
            events.normal(pod, "Pulled", "Container image \"" + ref + "\" already present on machine");
            return present.get();
        }
        if (policy.equals("Never")) {
            String message = "Container image \"" + ref + "\" is not present with pull policy of Never";
            events.warning(pod, "ErrImageNeverPull", message);
            throw new PullFailure("ErrImageNeverPull", message);
        }
        events.normal(pod, "Pulling", "Pulling image \"" + ref + "\"");
        Instant start = clock.instant();
        try {
            Image image = images.pull(ref, PullSecrets.forImage(ref, pullSecrets(pod)).orElse(null), PullListener.NONE);
            double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
            events.normal(pod, "Pulled", String.format("Successfully pulled image \"%s\" in %.3fs (%.3fs including waiting). Image size: %d bytes.",
                    ref, seconds, seconds, image.size()));
            return image;
        } catch (ImageException e) {
            String message = "Failed to pull image \"" + ref + "\": " + e.getMessage();
            events.warning(pod, "Failed", message);
            events.warning(pod, "Failed", "Error: ErrImagePull");
            throw new PullFailure("ErrImagePull", message);
        }
    }

    /** Always for :latest or no tag, else IfNotPresent (the API server defaults it too; this is for objects that lack it). */
    static String defaultPolicy(String ref) {
        if (ref.contains("@")) {
            return "IfNotPresent";
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        return colon <= slash || ref.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    private List<JsonNode> pullSecrets(JsonNode pod) {
        List<JsonNode> secrets = new ArrayList<>();
        String ns = pod.path("metadata").path("namespace").asText();
        for (JsonNode ref : pod.path("spec").path("imagePullSecrets")) {
            api.find(Kinds.SECRETS, ns, ref.path("name").asText()).ifPresent(secrets::add);
        }
        return secrets;
    }
}
