"""manage.py evaluate_classifier — accuracy, precision, recall and F1 per SDG on the held-out set, and latency."""

import json

from django.core.management.base import BaseCommand, CommandError

from wsis.classify.backends import get_backend
from wsis.classify.corpus import load_examples
from wsis.classify.evaluation import evaluation_items, latency, score_all_labels, score_items

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
        "Evaluate the configured classifier backend on the held-out evaluation set (or --set dev): per-SDG "
        "accuracy, precision, recall and F1 over benchmark-style (text, SDG, true/false) items and their "
        "averages, the same over every text and SDG, and the median latency for a 200-word text."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="which", choices=["eval", "dev"], default="eval",
                            help="Which labelled set (default: eval, the held-out set).")
        parser.add_argument("--backend", default=None, help="Dotted path of a backend class (default: settings).")
        parser.add_argument("--json", dest="json_path", default=None, help="Also write the results as JSON here.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        try:
            backend = get_backend(options["backend"])
        except (ImportError, OSError) as exc:
            raise CommandError(f"Cannot load the classifier backend: {exc}") from exc
        examples = load_examples(options["which"])
        predicted = {ex.id: set(backend.suggest(ex.text).sdgs) for ex in examples}
        items = evaluation_items(examples)
        per_sdg, average = score_items(items, predicted)
        all_per_sdg, all_average = score_all_labels(examples, predicted)
        timing = latency(backend, LATENCY_TEXT, repeat=100)

        w = self.stdout.write
        w(f"Backend {backend.name}; set '{options['which']}': {len(examples)} texts, {len(items)} (text, SDG) items.")
        w("")
        w(f"{'SDG':>4} {'items':>6} {'accuracy':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
        for s, m in per_sdg.items():
            w(f"{s:>4} {m['n']:>6} {m['accuracy']:>9.3f} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f}")
        w(f"{'avg':>4} {average['n']:>6} {average['accuracy']:>9.3f} {average['precision']:>9.3f} "
          f"{average['recall']:>7.3f} {average['f1']:>6.3f}")
        w("")
        w(f"Every text against every SDG ({all_average['n']} decisions): accuracy {all_average['accuracy']:.3f}, "
          f"precision {all_average['precision']:.3f}, recall {all_average['recall']:.3f}, F1 {all_average['f1']:.3f}")
        w(f"Latency for a {len(LATENCY_TEXT.split())}-word text: median {timing['median_ms']:.1f} ms, "
          f"p95 {timing['p95_ms']:.1f} ms (one core, model loaded, word caches emptied before each call)")
        if options["json_path"]:
            with open(options["json_path"], "w", encoding="utf-8") as fh:
                json.dump({"backend": backend.name, "set": options["which"], "texts": len(examples),
                           "items": len(items), "per_sdg": per_sdg, "average": average,
                           "all_labels": {"per_sdg": all_per_sdg, "average": all_average}, "latency": timing},
                          fh, indent=1)
