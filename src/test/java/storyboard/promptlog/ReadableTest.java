package storyboard.promptlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import storyboard.promptlog.Readable.Block;
import storyboard.promptlog.Readable.Code;
import storyboard.promptlog.Readable.JsonTree;
import storyboard.promptlog.Readable.Node;
import storyboard.promptlog.Readable.Prose;

/** How the history's detail page splits prompts and responses into prose, code blocks and JSON trees. */
class ReadableTest {
    @Test
    void plainTextIsOneProseBlock() {
        assertThat(Readable.blocks("Suggest three camera angles.\nThen a fourth.")).containsExactly(
                new Prose("Suggest three camera angles.\nThen a fourth."));
        assertThat(Readable.blocks(null)).isEmpty();
        assertThat(Readable.blocks("")).isEmpty();
    }

    @Test
    void aWholeJsonTextIsATreeWithKeysInOrderAndCommas() {
        List<Block> blocks = Readable.blocks("  {\"shots\": [{\"id\": 1, \"ok\": true}, null], \"note\": \"a<b\"}\n");
        assertThat(blocks).hasSize(1);
        Node root = ((JsonTree) blocks.get(0)).root();
        assertThat(root.kind()).isEqualTo("object");
        assertThat(root.summary()).isEqualTo("2 keys");
        Node shots = root.children().get(0);
        assertThat(shots.quotedKey()).isEqualTo("\"shots\"");
        assertThat(shots.kind()).isEqualTo("array");
        assertThat(shots.comma()).isTrue();
        assertThat(shots.summary()).isEqualTo("2 items");
        Node first = shots.children().get(0);
        assertThat(first.children()).extracting(Node::key, Node::kind, Node::text, Node::comma).containsExactly(
                org.assertj.core.groups.Tuple.tuple("id", "number", "1", true),
                org.assertj.core.groups.Tuple.tuple("ok", "boolean", "true", false));
        assertThat(shots.children().get(1).kind()).isEqualTo("null");
        Node note = root.children().get(1);
        assertThat(note.text()).isEqualTo("\"a<b\"");
        assertThat(note.comma()).isFalse();
    }

    @Test
    void markdownFencesBecomeCodeBlocksAndFencedJsonATree() {
        String response = "Here are the shots:\r\n```json\r\n[{\"shot\": 1}]\r\n```\r\nAnd some code:\n"
                + "~~~python extra words\nprint('<hi>')\n~~~\nDone.";
        List<Block> blocks = Readable.blocks(response);
        assertThat(blocks).hasSize(5);
        assertThat(blocks.get(0)).isEqualTo(new Prose("Here are the shots:"));
        assertThat(((JsonTree) blocks.get(1)).root().kind()).isEqualTo("array");
        assertThat(blocks.get(2)).isEqualTo(new Prose("And some code:"));
        assertThat(blocks.get(3)).isEqualTo(new Code("python", "print('<hi>')"));
        assertThat(blocks.get(4)).isEqualTo(new Prose("Done."));
    }

    @Test
    void anUnclosedFenceRunsToTheEndAndBadJsonStaysCode() {
        assertThat(Readable.blocks("intro\n```json\n{\"broken\": \n")).containsExactly(
                new Prose("intro"), new Code("json", "{\"broken\": \n"));
        assertThat(Readable.blocks("````\n```\nnested\n````")).containsExactly(new Code("", "```\nnested"));
    }

    @Test
    void hugeOrDeepValuesFallBackToIndentedText() {
        String deep = "[".repeat(60) + "]".repeat(60);
        Node root = ((JsonTree) Readable.blocks(deep).get(0)).root();
        Node n = root;
        int depth = 0;
        while (n.container()) {
            n = n.children().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(Readable.MAX_TREE_DEPTH);
        assertThat(n.kind()).isEqualTo("text");

        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) big.append(i == 0 ? "" : ",").append("[").append(i).append("]");
        Node wide = ((JsonTree) Readable.blocks(big.append("]").toString()).get(0)).root();
        assertThat(wide.children()).hasSize(10_000);
        assertThat(wide.children().get(9_999).kind()).isEqualTo("text");
        assertThat(wide.children().get(0).kind()).isEqualTo("array");
    }

    @Test
    void storedJsonTextsAreTrees() {
        assertThat(Readable.jsonText(null)).isNull();
        assertThat(Readable.jsonText("{\"sceneId\": \"s1\"}").root().children().get(0).text()).isEqualTo("\"s1\"");
    }
}
