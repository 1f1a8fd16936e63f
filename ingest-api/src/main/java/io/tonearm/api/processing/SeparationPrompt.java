package io.tonearm.api.processing;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/queue/audio/separate}'s prompt as stems: a small keyword mapper, no language model. Vocals and
 * instrumental come from the two-stem separation; drums, bass or other instruments need the four-stem one (where
 * "instrumental" then means drums, bass and other together). A prompt that names nothing it knows is a 422 that
 * lists what it understands.
 *
 * @param stems the stems that answer the prompt, in the separation's order
 * @param kind  the separation that produces them: {@code separate/2stem} or {@code separate/4stem}
 */
record SeparationPrompt(String prompt, List<String> stems, String kind) {

    static final int MAX_LENGTH = 500;

    /** Checked in order: "remove the vocals" must mean the instrumental before "vocals" means the vocals. */
    private static final List<Rule> RULES = List.of(
            new Rule("instrumental", "remove (the )?(lead )?vocals?|without (the )?vocals?|no vocals?|minus (the )?vocals?"
                    + "|karaoke|instrumental|backing track|music only|strip (the )?vocals?"),
            new Rule("vocals", "a ?cappella|acapella|vocals?|voices?|singing|singer|lyrics|lead vocal"),
            new Rule("drums", "drums?|beats?|percussion|kick|snare|hi-?hats?|cymbals?|rhythm section"),
            new Rule("bass", "bass(line| line| guitar)?"),
            new Rule("other", "other instruments?|everything else|the rest|guitars?|pianos?|keys|synths?|strings|melody"));

    static final String UNDERSTOOD = "vocals (\"isolate the lead vocal\", \"acapella\"), instrumental (\"remove vocals\", "
            + "\"karaoke\", \"instrumental\"), drums (\"drums\", \"beat\", \"percussion\"), bass (\"bass\", \"bassline\"), "
            + "other (\"other instruments\", \"guitar\", \"piano\")";

    static SeparationPrompt parse(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw ApiException.badRequest("invalid_prompt", "input.prompt is required: say which stems you want, e.g. "
                    + "\"isolate the lead vocal\"");
        }
        if (prompt.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid_prompt", "input.prompt is at most " + MAX_LENGTH + " characters");
        }
        String text = " " + prompt.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", " ") + " ";
        Set<String> wanted = new LinkedHashSet<>();
        for (Rule r : RULES) {
            var m = r.pattern.matcher(text);
            if (m.find()) {
                wanted.add(r.stem);
                text = m.replaceAll(" "); // "remove vocals" must not also count as "vocals"
            }
        }
        if (wanted.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_prompt",
                    "the prompt names no stem this server understands; it knows " + UNDERSTOOD);
        }
        boolean four = wanted.contains("drums") || wanted.contains("bass") || wanted.contains("other");
        if (!four) {
            return new SeparationPrompt(prompt, ordered(wanted, List.of("vocals", "instrumental")), "separate/2stem");
        }
        if (wanted.remove("instrumental")) {
            wanted.addAll(List.of("drums", "bass", "other"));
        }
        return new SeparationPrompt(prompt, ordered(wanted, List.of("drums", "bass", "vocals", "other")), "separate/4stem");
    }

    private static List<String> ordered(Set<String> wanted, List<String> order) {
        List<String> out = new ArrayList<>();
        for (String s : order) {
            if (wanted.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private record Rule(String stem, Pattern pattern) {
        Rule(String stem, String words) {
            this(stem, Pattern.compile(" (" + words + ") "));
        }
    }
}
