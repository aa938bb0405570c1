package org.safeguarding.hub.registry;

/** The registry's database cannot be written now; the same changes can be applied again later. */
public final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
