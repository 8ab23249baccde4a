package io.capstan.store.encryption;

/** Turns a value into what is stored and back (kube-apiserver's storage "transformer"); the store key may bind the two. */
public interface ValueTransformer {

    byte[] toStorage(String key, byte[] plain);

    byte[] fromStorage(String key, byte[] stored);
}
