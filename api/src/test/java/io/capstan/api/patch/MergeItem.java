package io.capstan.api.patch;

import java.util.List;
import java.util.Map;

/** The test type of Kubernetes' strategic merge patch tests, with the same tags (see {@link StrategicMergePatchTest#RULES}). */
public class MergeItem {
    public String name;
    public String value;
    public String other;
    public List<MergeItem> mergingList;
    public List<MergeItem> nonMergingList;
    public List<Integer> mergingIntList;
    public List<Integer> nonMergingIntList;
    public Map<String, String> simpleMap;
    public Object replacingItem;
    public RetainKeysMergeItem retainKeysMap;
    public List<MergeItem> retainKeysMergingList;

    /** The type under retainKeysMap. */
    public static class RetainKeysMergeItem {
        public String name;
        public String value;
        public String other;
        public Map<String, String> simpleMap;
        public List<Integer> mergingIntList;
        public List<MergeItem> mergingList;
        public List<MergeItem> nonMergingList;
    }
}
