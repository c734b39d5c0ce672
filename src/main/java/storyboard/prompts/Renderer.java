package storyboard.prompts;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code {{var}}} templates through jmustache: no HTML escaping (prompts are not HTML), no partials, and a
 * variable that is neither given nor defaulted is an error, never an empty string.
 */
final class Renderer {
    private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).strictSections(false)
            .withLoader(name -> {
                throw new IllegalArgumentException("partials ({{> " + name + "}}) are not supported");
            });

    private Renderer() {}

    /** The compiled template, or an {@link IllegalArgumentException} saying what is wrong with it. */
    static Template compile(String text) {
        try {
            Template t = COMPILER.compile(text);
            t.visit(new Mustache.Visitor() {
                @Override public void visitText(String s) {}
                @Override public void visitVariable(String name) {}
                @Override public boolean visitInclude(String name) {
                    throw new IllegalArgumentException("partials ({{> " + name + "}}) are not supported");
                }
                @Override public boolean visitSection(String name) { return true; }
                @Override public boolean visitInvertedSection(String name) { return true; }
            });
            return t;
        } catch (MustacheException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The variables a template needs from outside: the top-level {@code {{name}}} and {@code {{name.field}}}
     * tags (by their first part). Tags inside sections may be fields of the section's items, so they are not
     * counted; a section's own name may be absent (then it is false).
     */
    static Set<String> variables(String text) {
        Set<String> names = new LinkedHashSet<>();
        compile(text).visit(new Mustache.Visitor() {
            @Override public void visitText(String s) {}
            @Override public void visitVariable(String name) {
                String root = name.contains(".") && !name.equals(".") ? name.substring(0, name.indexOf('.')) : name;
                if (!root.isEmpty() && !root.equals(".") && !root.equals("this") && !root.startsWith("-")) names.add(root);
            }
            @Override public boolean visitInclude(String name) { return false; }
            @Override public boolean visitSection(String name) { return false; }
            @Override public boolean visitInvertedSection(String name) { return false; }
        });
        return names;
    }

    /** Renders with these values; a value missing inside a section is an {@link IllegalArgumentException}. */
    static String render(String text, Map<String, Object> values) {
        try {
            return compile(text).execute(values);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
