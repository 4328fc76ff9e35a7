"""Static files in production: hashed names, compressed copies (WhiteNoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, past jQuery UI's theme comment.

    jquery-ui.theme.css (XStatic-jquery-ui) keeps its ThemeRoller link in a
    comment, with `url(%22images%2F...%22)` URL-encoded in it; Django reads
    that as a file to hash and stops collectstatic. An encoded quote is never
    a real reference: such a match is left as it is.
    """

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            if "%22" in matchobj.groupdict()["url"]:
                return matchobj.groupdict()["matched"]
            return convert(matchobj)

        return converter
