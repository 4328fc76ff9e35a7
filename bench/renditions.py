"""Time and measure the rendition set of a 24-megapixel JPEG.

    .venv/bin/python -m bench.renditions [--runs 3]

Each run is a fresh process (so its peak memory is its own): it loads Django
with an in-memory database and storage, stores a 6000x4000 photograph-like
JPEG as a library image, and makes its renditions. Prints the wall time, the
number of files and bytes made, and the process's peak resident memory, with
the peak of the same process before the work for comparison.
"""

import argparse
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
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db.models.signals import post_save

    from images.models import Image
    from images.renditions import on_image_saved, renditions_generate

    call_command("migrate", verbosity=0)
    # Made by the caller: building it costs more memory than what is measured.
    with open(sys.argv[sys.argv.index("--child") + 1], "rb") as handle:
        data = handle.read()
    # Measured here, not made on commit of the save below.
    post_save.disconnect(on_image_saved, sender=Image)
    image = Image(alt_text_en="bench", is_ai_generated=True)
    image.file.save("bench.jpg", ContentFile(data), save=False)
    image.save()
    image = Image.objects.get(pk=image.pk)
    before = peak_mb()
    started = time.perf_counter()
    made = renditions_generate(image)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
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
    times = [r["seconds"] for r in results]
    print(
        f"time: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        f"peak resident memory: {max(r['peak_mb'] for r in results):.0f} MB "
        f"(the same process before the work: {first['peak_before_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
