"""manage.py train_classifier — rebuild the default backend's artefacts from data in the repository."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wsis.classify.model import ARTEFACT_DIR
from wsis.classify.training import DEFAULT_SEED, train


class Command(BaseCommand):
    help = (
        "Train the default SDG / action-line classifier from the SDG texts, the WSIS–SDG Matrix, the query "
        "lexicons and our training snippets, calibrate it on the development split, and write the artefacts "
        "(model.npz, meta.json, lexicon.json). Deterministic for a given --seed. Needs scikit-learn."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED}).")
        parser.add_argument("--output-dir", default=str(ARTEFACT_DIR),
                            help="Where to write the artefacts (default: wsis/classify/artefacts).")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError("scikit-learn is needed to train: pip install scikit-learn.") from exc
        out_dir = Path(options["output_dir"])
        if out_dir.exists() and not out_dir.is_dir():
            raise CommandError(f"--output-dir {out_dir} is not a directory.")
        meta = train(out_dir=out_dir, seed=options["seed"], log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"Wrote artefacts to {out_dir} ({meta['training']['documents']} training documents, "
            f"inputs {meta['training']['inputs_sha256']})."
        ))
