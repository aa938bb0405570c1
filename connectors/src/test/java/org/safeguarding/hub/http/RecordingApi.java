package org.safeguarding.hub.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.spool.SealedBody;

/** A stand-in for the hub behind the server: answers who called, or fails on request. */
class RecordingApi implements HubApi {
    @Override
    public ApiResponse submit(Caller caller, String contentType, SealedBody body) {
        if (body.size() == 1) {
            throw new HubException(ErrorCode.INVALID_SUBMISSION, "bad fields",
                    java.util.List.of(new FieldError("categories", "must not be empty")));
        }
        return ApiResponse.json(202, ("{\"caller\":\"" + caller.participantId() + "\",\"bytes\":" + body.size() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ApiResponse submissionStatus(Caller caller, String submissionId) {
        throw new HubException(ErrorCode.UNAVAILABLE, "broker down");
    }

    @Override
    public ApiResponse inbox(Caller caller, Map<String, String> query) {
        return ApiResponse.json(200, ("{\"caller\":\"" + caller.participantId() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StreamedResponse fetchPackage(Caller caller, String packageId) {
        throw new IllegalStateException("an unexpected failure with secret content inside");
    }

    @Override
    public ApiResponse acknowledge(Caller caller, String packageId) {
        return ApiResponse.noContent();
    }

    @Override
    public ApiResponse auditEvents(Caller caller, Map<String, String> query) {
        return ApiResponse.json(200, "[]".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ApiResponse auditVerify(Caller caller) {
        return ApiResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** Streams what the query asks for: see {@link StreamingBodies}. */
    @Override
    public StreamedResponse auditExport(Caller caller, Map<String, String> query) {
        return StreamingBodies.answer(caller, query);
    }

    @Override
    public ApiResponse flowReport(Caller caller, Map<String, String> query) {
        return ApiResponse.json(200, ("{\"caller\":\"" + caller.participantId() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
