"""The bundled sample contracts (data/samples): list them, read one, and analyse them all under
every version of the default playbook, so a fresh install has real data to browse and compare."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import NotFound
from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent, StatusEvent
from core.pipeline.services import Services
from core.settings import DATA_DIR

SAMPLES_DIR = DATA_DIR / "samples"
_FORMATS = {".pdf": "PDF", ".docx": "Word", ".txt": "text", ".md": "Markdown"}


@dataclass(frozen=True)
class Sample:
    name: str  # the file name, e.g. "mutual-nda.docx"
    path: Path
    format: str  # "PDF", "Word", "text", "Markdown"
    size_bytes: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.format}, {self.size_bytes / 1000:,.0f} KB)"


@dataclass(frozen=True)
class SampleProgress:
    """Where a run over the samples is: `fraction` is the overall progress (0–1); `analysis` is
    set on the update that reports one sample × version as finished."""

    done: int  # analyses finished so far
    total: int  # analyses planned
    sample: str
    playbook: str  # "NAME@N"
    message: str
    fraction: float
    analysis: Analysis | None = None


def list_samples(directory: Path = SAMPLES_DIR) -> list[Sample]:
    """The sample contracts in a format the app reads, by name."""
    if not directory.is_dir():
        return []
    return [
        Sample(path.name, path, _FORMATS[path.suffix.lower()], path.stat().st_size)
        for path in sorted(directory.iterdir())
        if path.is_file() and path.suffix.lower() in _FORMATS
    ]


def read_sample(name: str, directory: Path = SAMPLES_DIR) -> bytes:
    """The bytes of one bundled sample, by file name (only names `list_samples` returns)."""
    for sample in list_samples(directory):
        if sample.name == name:
            return sample.path.read_bytes()
    raise NotFound(f"there is no bundled sample named {name!r}")


def analyse_samples(
    services: Services,
    playbook: str | None = None,
    directory: Path = SAMPLES_DIR,
    user: str | None = None,
) -> Iterator[SampleProgress]:
    """Analyse every sample under every version of `playbook` (default: the settings' default),
    oldest version first, storing each analysis like any other (run by `user`, if signed in);
    yields progress as it goes."""
    name = playbook or services.settings.default_playbook
    versions = services.store.list_versions(name)
    if not versions:
        raise NotFound(f"no playbook named {name!r}")
    samples = list_samples(directory)
    jobs = [(f"{name}@{v.version}", s) for v in versions for s in samples]
    for done, (spec, sample) in enumerate(jobs):
        data = sample.path.read_bytes()
        for event in runner.run(services, data, sample.name, playbook=spec, user=user):
            if isinstance(event, StatusEvent):
                yield SampleProgress(
                    done,
                    len(jobs),
                    sample.name,
                    spec,
                    f"{sample.name} · {spec}: {event.message}",
                    (done + event.progress) / len(jobs),
                )
            elif isinstance(event, FinalEvent):
                result = event.analysis
                outcome = (
                    f"{len(result.findings)} findings"
                    if result.status == "completed"
                    else f"{result.status}: {result.error}"
                )
                yield SampleProgress(
                    done + 1,
                    len(jobs),
                    sample.name,
                    spec,
                    f"{sample.name} · {spec}: {outcome}",
                    (done + 1) / len(jobs),
                    result,
                )
