"""Time a 24-megapixel JPEG's upload request and its renditions in the worker.

    .venv/bin/python -m bench.renditions [--runs 3]

Each run is a fresh process (so its peak memory is its own): it loads Django
with an in-memory database and storage, uploads a 6000x4000 photograph-like
JPEG through the desk's add form (the whole request: upload checks and
re-encoding included; the renditions only enqueued), then runs the renditions
job as the worker does. Prints both times, the reference measured in the same
process (one Pillow decode and JPEG encode of the same file), the files and
bytes made, and the worker's peak resident memory with the same process's
peak before the job.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def peak_mb() -> float:
    """Return this process's peak resident memory (VmHWM), in MB.

    Not getrusage's ru_maxrss: Linux carries it over from the parent that
    forked this process, which here built the 24-megapixel source.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from PIL import Image as PillowImage

    from articles.tests.factories import UserFactory
    from core.jobs import run_due_jobs
    from core.tests.formdata import form_data
    from images.models import Image, Rendition

    setup_test_environment()
    call_command("migrate", verbosity=0)
    # Made by the caller: building it costs more memory than what is measured.
    source = sys.argv[sys.argv.index("--child") + 1]
    with open(source, "rb") as handle:
        data = handle.read()

    # The reference: one full decode and JPEG encode of the same file, here.
    started = time.perf_counter()
    with PillowImage.open(source) as picture:
        picture.load()
        picture.save(io.BytesIO(), "JPEG", quality=82)
    reference = time.perf_counter() - started

    # The upload, as the desk sends it: the whole request, checks included.
    client = Client()
    client.force_login(UserFactory(username="bench", superuser=True))
    add = "/admin/images/image/add/"
    fields = form_data(client.get(add).content.decode(), "image_form")
    fields = {name: values[0] for name, values in fields.items() if values}
    fields["alt_text_ko"] = "벤치마크 사진"
    fields["is_ai_generated"] = "on"
    fields["file"] = SimpleUploadedFile("bench.jpg", data, "image/jpeg")
    started = time.perf_counter()
    response = client.post(add, fields)
    request_seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"upload refused: {response.status_code}")
    image = Image.objects.get()
    if Rendition.objects.exists():
        raise SystemExit("renditions were made in the request")

    before = peak_mb()
    # Start the peak afresh (Linux: 5 resets VmHWM): the job's own, not the upload's.
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")
    started = time.perf_counter()
    # The worker's job, run as `db_worker` runs it.
    run_due_jobs("bench")
    seconds = time.perf_counter() - started
    peak = peak_mb()
    made = list(Rendition.objects.filter(image=image))
    print(
        json.dumps(
            {
                "request_seconds": request_seconds,
                "seconds": seconds,
                "reference_seconds": reference,
                "files": len(made),
                "bytes": sum(r.file.size for r in made),
                "source_bytes": len(data),
                "peak_before_mb": before,
                "peak_mb": peak,
            }
        )
    )


def source_jpeg(path: str) -> None:
    """Write a photograph-like 6000x4000 JPEG: gradients, shapes and noise.

    Flat colour would compress and decode unrealistically fast.
    """
    from PIL import Image as PillowImage
    from PIL import ImageDraw, ImageFilter

    picture = PillowImage.radial_gradient("L").resize((6000, 4000)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for step in range(0, 6000, 250):
        box = (step, step % 4000, step + 900, step % 4000 + 700)
        draw.ellipse(box, fill=(step % 255, 90, 160))
    noise = PillowImage.effect_noise((6000, 4000), 40).convert("RGB")
    picture = PillowImage.blend(picture, noise, 0.25).filter(ImageFilter.SMOOTH)
    picture.save(path, "JPEG", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child()
        return
    source = os.path.join(tempfile.gettempdir(), "newsroom-bench-24mp.jpg")
    if not os.path.exists(source):
        source_jpeg(source)
    results = []
    for _run in range(options.runs):
        output = subprocess.run(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "bench.renditions", "--child", source],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    first = results[0]
    print(
        f"24-megapixel JPEG ({first['source_bytes'] / 1e6:.1f} MB): "
        f"{first['files']} renditions, {first['bytes'] / 1e6:.1f} MB"
    )

    def line(label: str, key: str) -> None:
        times = [r[key] for r in results]
        print(
            f"{label}: median {statistics.median(times):.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
        )

    line("upload request (the desk's add form, checks included)", "request_seconds")
    line("worker: renditions job", "seconds")
    line("reference: one decode and JPEG encode of the file", "reference_seconds")
    print(
        f"worker peak resident memory: {max(r['peak_mb'] for r in results):.0f} MB "
        f"(the same process's peak before the job, the upload included: "
        f"{first['peak_before_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
