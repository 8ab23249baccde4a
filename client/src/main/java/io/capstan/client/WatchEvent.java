package io.capstan.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a watch stream.
 *
 * @param type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param object the object (a Status for ERROR)
 */
public record WatchEvent(String type, ObjectNode object) {}
