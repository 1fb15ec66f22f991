package io.ordo.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON text indented with tabs, one member per line, {@code "name": value}, as Go's {@code
 * json.Indent(dst, src, "", "\t")} prints osnadmin's responses; keys keep their order.
 */
public final class JsonIndent {
  // a text such as "404 page not found" must not pass as the number 404
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonIndent() {}

  /** {@code json} indented; a text that is not JSON comes back as it is. */
  public static String indent(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return json.strip();
    }
    if (node == null || node.isMissingNode()) {
      return json.strip();
    }
    StringBuilder out = new StringBuilder();
    write(node, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        tabs(depth + 1, out);
        out.append(scalar(JSON.getNodeFactory().textNode(f.getKey()))).append(": ");
        write(f.getValue(), depth + 1, out);
        out.append(fields.hasNext() ? ",\n" : "\n");
      }
      tabs(depth, out);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        tabs(depth + 1, out);
        write(node.get(i), depth + 1, out);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      tabs(depth, out);
      out.append(']');
    } else {
      out.append(scalar(node));
    }
  }

  private static String scalar(JsonNode node) {
    return node.toString();
  }

  private static void tabs(int n, StringBuilder out) {
    out.append("\t".repeat(n));
  }
}
