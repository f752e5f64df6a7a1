"""Settings of Relais: read from the environment only, failing closed in production.

One module per concern; each reads its variables (``.env.example`` lists every one) and
refuses a malformed or, in production, a missing or weak value. Domain rules (legal
retention bounds, a usable key provider) are system checks of the apps that own them.
"""

from relais.settings.accounts import *
from relais.settings.api import *
from relais.settings.audit import *
from relais.settings.base import *
from relais.settings.database import *
from relais.settings.keys import *
from relais.settings.mail import *
from relais.settings.privacy import *
from relais.settings.relay import *
from relais.settings.screening import *
from relais.settings.security import *
from relais.settings.web import *
