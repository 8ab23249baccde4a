package io.capstan.apiserver.endpoints;

import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;

/**
 * The query parameters every write shares.
 *
 * @param fieldValidation Strict, Warn or Ignore
 */
record WriteOptions(boolean dryRun, String fieldValidation) {

    static WriteOptions from(Exchange exchange) {
        String dryRun = exchange.query("dryRun");
        if (dryRun != null && !dryRun.isEmpty() && !dryRun.equals("All")) {
            throw StatusException.badRequest("dryRun: Unsupported value: \"" + dryRun + "\": supported values: \"All\"");
        }
        String fv = exchange.query("fieldValidation");
        if (fv == null || fv.isEmpty()) {
            fv = "Warn"; // kube-apiserver's default when the client does not say
        }
        if (!fv.equals("Strict") && !fv.equals("Warn") && !fv.equals("Ignore")) {
            throw StatusException.badRequest("fieldValidation: Unsupported value: \"" + fv
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        return new WriteOptions("All".equals(dryRun), fv);
    }
}
