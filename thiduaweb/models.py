"""Import every feature's models so SQLAlchemy and Alembic see the whole schema."""
from thiduaweb.accounts.models import Membership, User  # noqa: F401
from thiduaweb.audit.models import AuditChainHead, AuditEntry  # noqa: F401
from thiduaweb.core.numbering import IssuedNumber  # noqa: F401
from thiduaweb.files.models import Attachment  # noqa: F401
from thiduaweb.units.models import Body, Unit, UnitSuccession  # noqa: F401
from thiduaweb.awards.models import Award, AuthorityRule, AwardType, Decision, Nomination, NominationStep, Nominee, NomineeFreeze, Objection, RegulationVersion, RuleParameter  # noqa: F401
from thiduaweb.awards.models import AgendaItem, BaseSalary, CertificateLayout, Council, CouncilMember, CouncilSession, DecisionChange, FundEntry, MemberVote, SessionAttendance, VoteThreshold  # noqa: F401
from thiduaweb.complaints.models import ComplaintSetting, DayOff, DeadlineRule, Petition, PetitionEvent  # noqa: F401
from thiduaweb.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate, CorrectiveAction, Finding, Inspection, InspectionAnswer, InspectionEvent, InspectionRound  # noqa: F401
from thiduaweb.plans.models import Plan, PlanHistory, PlanItem  # noqa: F401
from thiduaweb.movements.models import Achievement, Compact, Movement, MovementBody, ProgressReport, Registration, Review, ReviewResult, Target  # noqa: F401
from thiduaweb.exemplars.models import Exemplar, Publicity  # noqa: F401
from thiduaweb.clusters.models import ClusterMember, EmulationCluster, ScoreEvent, ScoringCriterion, ScoringGroup, ScoringTable, SelfScore, SelfScoreLine  # noqa: F401
from thiduaweb.dashboard.models import ExportJob, UnitDueStat, UnitYearFigures, UnitYearStat  # noqa: F401
from thiduaweb.core.revisions import UnitAreaRevision, UnitRevision  # noqa: F401
