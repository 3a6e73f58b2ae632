"""Models of registration, one module per aggregate; every model and every name a
migration refers to is re-exported here.

- ``registrations``: ``Registration`` and its ``Material`` files (private storage);
- ``eligibility``: ``EligibilityRule`` (报名条件) and the ranked ``Education`` / ``CertificateLevel``;
- ``organisations``: ``TrainingOrganisation`` (合作机构).
"""

from .eligibility import (
    CERTIFICATE_RANK,
    EDUCATION_RANK,
    CertificateLevel,
    Education,
    EligibilityRule,
)
from .organisations import TrainingOrganisation
from .registrations import Material, Registration, material_upload_to, private_storage

__all__ = [
    "CERTIFICATE_RANK",
    "EDUCATION_RANK",
    "CertificateLevel",
    "Education",
    "EligibilityRule",
    "Material",
    "Registration",
    "TrainingOrganisation",
    "material_upload_to",
    "private_storage",
]
