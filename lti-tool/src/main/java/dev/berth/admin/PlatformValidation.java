package dev.berth.admin;

import dev.berth.lti.PlatformDraft;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Runs {@link PlatformDraft}'s Bean Validation rules once for all three ways of registering a platform (page,
 * API, configuration) and names each broken rule by the draft's field, so each caller can show it its own way.
 */
@Component
class PlatformValidation {

    private final Validator validator;

    PlatformValidation(Validator validator) {
        this.validator = validator;
    }

    /** Field name → messages, empty when the draft is valid. An element of a list is reported on the list. */
    Map<String, List<String>> errors(PlatformDraft draft) {
        Map<String, List<String>> fields = new TreeMap<>();
        for (ConstraintViolation<PlatformDraft> violation : validator.validate(draft)) {
            fields.computeIfAbsent(field(violation.getPropertyPath()), name -> new ArrayList<>())
                    .add(violation.getMessage());
        }
        fields.replaceAll(
                (name, messages) -> messages.stream().distinct().sorted().toList());
        return fields;
    }

    private static String field(Path path) {
        Iterator<Path.Node> nodes = path.iterator();
        return nodes.hasNext() ? nodes.next().getName() : "";
    }
}
