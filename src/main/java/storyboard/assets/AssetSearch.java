package storyboard.assets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code q} of {@code GET /api/v1/assets}: the terms of q (split at white space) are all required, each case-insensitive:
 * <ul>
 *   <li>a term of letters and digits matches a word it begins: words of the name, split at {@code / _ . -} (any
 *   punctuation) and case changes, and of the metadata's keys and values (the {@code search_words} column and its {@code asset_words} index);</li>
 *   <li>any term of three or more characters also matches anywhere in the name, literally: {@code %}, {@code _} and
 *   {@code \} are themselves, not patterns (the {@code asset_name_trgm} trigram index);</li>
 *   <li>a shorter term with punctuation matches nothing by itself and is left out.</li>
 * </ul>
 * Results rank exact names first (the whole name, the file name or the file name without its extension equal q),
 * then names where every term starts at a word (the name's start or after punctuation), then the rest.
 */
final class AssetSearch {
    static final int SUBSTRING_FROM = 3;
    static final int MAX_TERMS = 16;

    /** One term: the word-prefix query it runs, if it is a word, and whether it is also matched as a substring. */
    record Term(String text, boolean word, boolean substring) {}

    private final String q;
    private final List<Term> terms;

    private AssetSearch(String q, List<Term> terms) {
        this.q = q;
        this.terms = terms;
    }

    static AssetSearch of(String q) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<Term> terms = new ArrayList<>();
        for (String t : q.strip().split("[\\s\\p{Z}]+")) {
            if (t.isEmpty() || !seen.add(t)) continue;
            boolean word = t.codePoints().allMatch(Character::isLetterOrDigit);
            boolean substring = t.codePointCount(0, t.length()) >= SUBSTRING_FROM;
            if (word || substring) terms.add(new Term(t, word, substring));
        }
        return new AssetSearch(q.strip(), terms);
    }

    List<Term> terms() {
        return terms;
    }

    /** The condition on {@code alias} (an asset row); its values go into {@code b}. "false" when no term can match. */
    String condition(String alias, Map<String, Object> b) {
        if (terms.isEmpty()) return "false";
        List<String> all = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            List<String> any = new ArrayList<>();
            // The LIKE first: a trigram match is always re-checked, and a row it matches needs no other test.
            if (t.substring()) {
                any.add("lower(" + alias + ".name) like lower(:q_like_" + i + ")");
                b.put("q_like_" + i, "%" + likeEscape(t.text()) + "%");
            }
            if (t.word()) {
                any.add(alias + ".search_words @@ to_tsquery('simple', :q_word_" + i + ")");
                b.put("q_word_" + i, "'" + t.text().replace("'", "''").replace("\\", "\\\\") + "':*");
            }
            all.add(any.size() == 1 ? any.get(0) : "(" + String.join(" or ", any) + ")");
        }
        return String.join(" and ", all);
    }

    /** 0: the name, file name or file name without extension is q; 1: every term starts a word of the name; 2: the rest. */
    String rank(String alias, Map<String, Object> b) {
        b.put("q_exact", q);
        String name = alias + ".name";
        String file = "regexp_replace(" + name + ", '^.*/', '')";
        StringBuilder sql = new StringBuilder("(case when lower(:q_exact) in (lower(" + name + "), lower(" + file
                + "), lower(regexp_replace(" + file + ", '\\.[^.]*$', ''))) then 0");
        if (!terms.isEmpty()) {
            List<String> starts = new ArrayList<>();
            for (int i = 0; i < terms.size(); i++) {
                starts.add(name + " ~* :q_start_" + i);
                b.put("q_start_" + i, "(^|[^[:alnum:]])" + regexEscape(terms.get(i).text()));
            }
            sql.append(" when ").append(String.join(" and ", starts)).append(" then 1");
        }
        return sql.append(" else 2 end)").toString();
    }

    /** The term as a LIKE pattern that matches only itself. */
    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The term as a PostgreSQL regular expression that matches only itself. */
    static String regexEscape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (!Character.isLetterOrDigit(c)) out.append('\\');
            out.appendCodePoint(c);
        });
        return out.toString();
    }
}
