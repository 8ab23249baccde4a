package io.capstan.runtime.image;

/** A user name and password (or identity token as password) for one registry, as a docker config.json's "auths" holds them. */
public record RegistryCredentials(String username, String password) {

    @Override
    public String toString() {
        return "RegistryCredentials[" + username + "]";
    }
}
