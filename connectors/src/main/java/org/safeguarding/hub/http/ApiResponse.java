package org.safeguarding.hub.http;

import java.util.Map;

/** What an API operation answers: status, media type, body and any extra headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String CMS = "application/pkcs7-mime";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, JSON, body, Map.of());
    }

    /** This answer with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, contentType, body, more);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], Map.of());
    }
}
