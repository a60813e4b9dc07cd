"""manage.py evaluate_classifier — accuracy, precision, recall and F1 per SDG on the held-out set, and latency."""

import json

from django.core.management.base import BaseCommand, CommandError

from wsis.classify.backends import get_backend
from wsis.classify.corpus import ACTION_LINES, EVAL_SETS, SDG_SETS, load_examples
from wsis.classify.evaluation import (
    action_line_items,
    evaluation_items,
    latency,
    score_action_lines,
    score_all_labels,
    score_by_language,
    score_items,
    target_hits,
)

# About 200 words of an initiative description, the size the latency budget speaks of.
LATENCY_TEXT = (
    "The Ministry of Health and the national telecommunications regulator launched a programme that connects "
    "rural clinics to the national fibre backbone and equips community health workers with tablets. Nurses use "
    "a telemedicine application to consult specialists in the capital, share images and laboratory results, and "
    "follow pregnant women and newborns between visits. The programme also trains young women from the districts "
    "as digital health assistants, offering them paid work, a certificate and a path to nursing school. A shared "
    "electronic health record replaces paper registers, so that a patient's history follows her from the health "
    "post to the district hospital. Data on vaccinations, malaria cases and stock levels of essential medicines "
    "flow every day into a dashboard used by district managers to plan supplies and staff. Solar panels power the "
    "equipment where the grid is unreliable. The initiative is financed by a partnership of the government, two "
    "mobile operators and a development bank, and an independent evaluation will measure its effect on maternal "
    "and child mortality, waiting times and the cost of care for poor households. Lessons will be shared with "
    "neighbouring countries through the regional health information network and published as open data."
)


class Command(BaseCommand):
    help = (
        "Evaluate the configured classifier backend on one evaluation set (--set NAME, repeatable, or --set all): "
        "per-SDG accuracy, precision, recall and F1 over benchmark-style (text, SDG, true/false) items and their "
        "averages, the same per language, the same over every text and SDG, the targets' top-3 hit rate where "
        "the set has target labels, and the median latency for a 200-word text; on actionlines-test the same "
        "per action line. Sets: "
        + "; ".join(f"{name}: {what}" for name, (what, _ind) in EVAL_SETS.items()) + "."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="which", action="append", choices=[*EVAL_SETS, "all"], default=None,
                            help="Which labelled set (repeatable; 'all' for every set; default: eval).")
        parser.add_argument("--backend", default=None, help="Dotted path of a backend class (default: settings).")
        parser.add_argument("--json", dest="json_path", default=None, help="Also write the results as JSON here.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        try:
            backend = get_backend(options["backend"])
        except (ImportError, OSError) as exc:
            raise CommandError(f"Cannot load the classifier backend: {exc}") from exc
        names = options["which"] or ["eval"]
        if "all" in names:
            names = list(EVAL_SETS)
        results = {name: self._one(backend, name) for name in names}
        timing = latency(backend, LATENCY_TEXT, repeat=100)
        w = self.stdout.write
        if len(names) > 1:
            w("Summary (average per-SDG accuracy over benchmark items; per action line on actionlines-test):")
            for name in names:
                r = results[name]
                w(f"  {name:<16} {r['average']['accuracy']:.3f}  ({r['texts']} texts, {r['items']} items; "
                  f"{EVAL_SETS[name][0]})")
        w(f"Latency for a {len(LATENCY_TEXT.split())}-word text: median {timing['median_ms']:.1f} ms, "
          f"p95 {timing['p95_ms']:.1f} ms (one core, model loaded, word caches emptied before each call)")
        if options["json_path"]:
            with open(options["json_path"], "w", encoding="utf-8") as fh:
                json.dump({"backend": backend.name, "sets": results, "latency": timing}, fh, indent=1)

    def _one(self, backend, name):
        if name not in SDG_SETS:
            return self._action_lines(backend, name)
        examples = load_examples(name)
        suggestions = {ex.id: backend.suggest(ex.text) for ex in examples}
        predicted = {ex_id: set(s.sdgs) for ex_id, s in suggestions.items()}
        items = evaluation_items(examples)
        per_sdg, average = score_items(items, predicted)
        all_per_sdg, all_average = score_all_labels(examples, predicted)
        by_lang = score_by_language(examples, predicted)
        targets = target_hits(examples, suggestions)

        w = self.stdout.write
        w(f"Backend {backend.name}; set '{name}' ({EVAL_SETS[name][0]}): {len(examples)} texts, "
          f"{len(items)} (text, SDG) items.")
        w("")
        w(f"{'SDG':>4} {'items':>6} {'accuracy':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
        for s, m in per_sdg.items():
            w(f"{s:>4} {m['n']:>6} {m['accuracy']:>9.3f} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f}")
        w(f"{'avg':>4} {average['n']:>6} {average['accuracy']:>9.3f} {average['precision']:>9.3f} "
          f"{average['recall']:>7.3f} {average['f1']:>6.3f}")
        w("")
        w(f"Every text against every SDG ({all_average['n']} decisions): accuracy {all_average['accuracy']:.3f}, "
          f"precision {all_average['precision']:.3f}, recall {all_average['recall']:.3f}, F1 {all_average['f1']:.3f}")
        w("By language (items built from that language's texts; average per-SDG accuracy):")
        for lang, m in by_lang.items():
            w(f"  {lang:<8} {m['accuracy']:.3f}  ({m['texts']} texts, {m['n']} items, {m['sdgs_with_items']} SDGs)")
        if targets:
            w(f"Targets, top-3 hit rate over {targets['texts']} texts with target labels: {targets['end_to_end']:.3f} "
              f"end to end; {targets['given_goal']:.3f} over the {targets['texts_goal_suggested']} texts whose goal "
              f"was suggested")
        w("")
        return {"texts": len(examples), "items": len(items), "independent": EVAL_SETS[name][1],
                "per_sdg": per_sdg, "average": average, "by_language": by_lang, "targets": targets,
                "all_labels": {"per_sdg": all_per_sdg, "average": all_average}}

    def _action_lines(self, backend, name):
        examples = load_examples(name)
        suggestions = {ex.id: backend.suggest(ex.text) for ex in examples}
        predicted = {ex_id: set(s.action_lines) for ex_id, s in suggestions.items()}
        items = action_line_items(examples, ACTION_LINES)
        per_line, average = score_action_lines(items, predicted, ACTION_LINES)
        # The best-scoring line is one of the text's lines.
        top1 = sum(1 for ex in examples
                   if max(suggestions[ex.id].action_line_scores.items(), key=lambda kv: kv[1])[0] in ex.action_lines)
        w = self.stdout.write
        w(f"Backend {backend.name}; set '{name}' ({EVAL_SETS[name][0]}): {len(examples)} texts, "
          f"{len(items)} (text, action line) items.")
        w("")
        w(f"{'line':>5} {'items':>6} {'accuracy':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
        for code, m in per_line.items():
            w(f"{code:>5} {m['n']:>6} {m['accuracy']:>9.3f} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f}")
        w(f"{'avg':>5} {average['n']:>6} {average['accuracy']:>9.3f} {average['precision']:>9.3f} "
          f"{average['recall']:>7.3f} {average['f1']:>6.3f}")
        w(f"Best-scoring action line is one of the text's lines: {top1 / len(examples):.3f} ({top1} of {len(examples)})")
        w("")
        return {"texts": len(examples), "items": len(items), "independent": EVAL_SETS[name][1],
                "per_action_line": per_line, "average": average, "top1": top1 / len(examples)}
