package org.safeguarding.hub.submission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a submission's JSON into a tree as {@code readTree} does, except that a large {@code attachments[i].content}
 * that is plain base64 is not turned into a string: the tree holds an empty text in its place (valid base64, so that
 * field validation sees a valid value, as it would for the real one) and the slice is remembered, to be put back as an
 * {@link AttachmentContent} into the tree the hub keeps. A value that is not plain base64 (escapes, other characters,
 * a bad ending) is read as usual, so that validation reports it exactly as before.
 */
final class SubmissionReader {
    /** Values at least this long are kept in place. */
    static final int LARGE = 64 * 1024;

    /** A large content kept in place: which attachment, and the slice. */
    record Kept(int attachment, AttachmentContent content) {
    }

    private SubmissionReader() {
    }

    /** Reads the tree (null when there is no content); large contents kept in place are added to {@code kept}. */
    static JsonNode read(ObjectMapper mapper, byte[] json, int length, List<Kept> kept) throws IOException {
        try (Parser p = new Parser(mapper.createParser(json, 0, length), json, length, kept)) {
            return mapper.readTree(p);
        }
    }

    /** Puts the kept contents into {@code root}, an identical copy of the tree {@link #read} gave. */
    static void restore(ObjectNode root, List<Kept> kept) {
        for (Kept k : kept) {
            ((ObjectNode) root.get("attachments").get(k.attachment())).set("content", new POJONode(k.content()));
        }
    }

    private static final class Parser extends JsonParserDelegate {
        private final byte[] json;
        private final int length;
        private final List<Kept> kept;
        private boolean placeholder;

        Parser(JsonParser d, byte[] json, int length, List<Kept> kept) {
            super(d);
            this.json = json;
            this.length = length;
            this.kept = kept;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            placeholder = false;
            JsonToken t = delegate.nextToken();
            if (t == JsonToken.VALUE_STRING && isAttachmentContent(delegate.getParsingContext())) {
                placeholder = keepInPlace();
            }
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        private static boolean isAttachmentContent(JsonStreamContext c) {
            if (c == null || !c.inObject() || !"content".equals(c.getCurrentName())) {
                return false;
            }
            JsonStreamContext list = c.getParent();
            if (list == null || !list.inArray()) {
                return false;
            }
            JsonStreamContext top = list.getParent();
            return top != null && top.inObject() && "attachments".equals(top.getCurrentName())
                    && top.getParent() != null && top.getParent().inRoot();
        }

        /** The string's text sits between quotes with no escape and is base64 that decodes: keep it in place. */
        private boolean keepInPlace() {
            long at = delegate.currentTokenLocation().getByteOffset();
            if (at < 0 || at >= length || json[(int) at] != '"') {
                return false;
            }
            int start = (int) at + 1;
            int end = start;
            while (end < length && isBase64Char(json[end])) {
                end++;
            }
            int padded = end;
            while (padded < length && padded - end < 2 && json[padded] == '=') {
                padded++;
            }
            if (padded >= length || json[padded] != '"' || padded - start < LARGE) {
                return false;
            }
            // every whole 4-character unit before the last one decodes; the decoder judges the ending itself
            int tail = Math.max(start, start + ((padded - start - 1) / 4 - 1) * 4);
            try {
                Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(json, tail, padded - tail));
            } catch (IllegalArgumentException e) {
                return false;
            }
            kept.add(new Kept(delegate.getParsingContext().getParent().getCurrentIndex(),
                    new AttachmentContent(json, start, padded - start)));
            return true;
        }

        private static boolean isBase64Char(byte b) {
            return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
        }

        @Override
        public String getText() throws IOException {
            return placeholder ? "" : delegate.getText();
        }

        @Override
        public String getValueAsString() throws IOException {
            return placeholder ? "" : delegate.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            return placeholder ? "" : delegate.getValueAsString(defaultValue);
        }

        @Override
        public boolean hasTextCharacters() {
            return !placeholder && delegate.hasTextCharacters();
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            return placeholder ? new char[0] : delegate.getTextCharacters();
        }

        @Override
        public int getTextLength() throws IOException {
            return placeholder ? 0 : delegate.getTextLength();
        }

        @Override
        public int getTextOffset() throws IOException {
            return placeholder ? 0 : delegate.getTextOffset();
        }

        @Override
        public int getText(java.io.Writer writer) throws IOException {
            return placeholder ? 0 : delegate.getText(writer);
        }
    }
}
