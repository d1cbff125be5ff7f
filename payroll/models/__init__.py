from payroll.models.employment import Employment
from payroll.models.rates import RateLine, RateTable
from payroll.models.runs import PayrollRun, Payslip, PayslipLine
from payroll.models.settings import ContributionBracket, PayrollSettings, RiskRate, Scheme
from payroll.models.submissions import (
    Declaration,
    MonthlySubmission,
    PayrollPeriod,
    PeriodStage,
    SubmissionLine,
    SubmissionState,
)
from payroll.models.tax import RateKind, RateSource, TaxRate

__all__ = [
    "ContributionBracket", "Declaration", "Employment", "MonthlySubmission", "PayrollPeriod", "PayrollRun",
    "PayrollSettings", "Payslip", "PayslipLine", "PeriodStage", "RateKind", "RateLine", "RateSource", "RateTable", "RiskRate",
    "Scheme", "SubmissionLine", "SubmissionState", "TaxRate",
]
