from alumni.models.companies import AlumniCompany, CompanyStatus, DeclarationFrequency, Founder, LegalForm
from alumni.models.declarations import RevenueDeclaration
from alumni.models.directory import (
    ContactPreference,
    ContactRequest,
    DirectoryMembership,
    DirectoryProfile,
    DirectorySearch,
)

__all__ = [
    "AlumniCompany", "CompanyStatus", "ContactPreference", "ContactRequest", "DeclarationFrequency",
    "DirectoryMembership", "DirectoryProfile", "DirectorySearch", "Founder", "LegalForm", "RevenueDeclaration",
]
