"""Runs the E-ARK validator (eark-validator 1.1.x) without network access.

On import, eark-validator downloads four CSIP vocabularies (content
category, content information type, OAIS package type, status) from
https://earkcsip.dilcis.eu/schema/ to build its Schematron tests. CI and the
developers' machines reach no such host, but the package ships the same
vocabulary files in eark_validator/ipxml/resources/vocabs/. This launcher
answers those URLs from the shipped copies and refuses every other URL, so
a validator that tries to reach anything else fails loudly instead of
validating against something we did not pin. Everything else is the
validator's own command line (same arguments, same JSON report).
"""
import sys
import urllib.request
from importlib.resources import files

VOCABULARY_URL = 'https://earkcsip.dilcis.eu/schema/'
VOCABULARIES = files('eark_validator.ipxml.resources.vocabs')


def shipped_vocabulary(url, *_args, **_kwargs):
    """urlopen() for the validator: a shipped vocabulary file, or an error."""
    name = url[len(VOCABULARY_URL):] if isinstance(url, str) and url.startswith(VOCABULARY_URL) else ''
    if not name or '/' in name or not VOCABULARIES.joinpath(name).is_file():
        raise OSError(f'eark-validator asked for {url}, which this offline launcher does not serve')
    return VOCABULARIES.joinpath(name).open('rb')


urllib.request.urlopen = shipped_vocabulary

from eark_validator.cli.app import main  # noqa: E402  (after the patch, on purpose)

sys.exit(main())
