"""The campaign's process: draft → sampled (re-sampling allowed until scoring starts) →
scoring → concluded. Every move is made by an organiser: a supervising role whose scope
holds the organising unit (an evaluator from another unit cannot move the campaign)."""

from django.core.exceptions import PermissionDenied

from yifa.core.workflows import GuardFailed, Transition, Workflow

from .models import Campaign, CampaignState, FileState
from .services import ORGANIZER_ROLES, campaign_concluded_effect, notify_evaluators, sample_effect

RULE = "县行政执法案卷评查工作办法"


def _organiser(campaign, actor):
    if actor is None:
        return
    root = actor.scope_root
    if root is None or not campaign.org.path.startswith(root.path):
        raise PermissionDenied("只有组织单位（或其上级监督机构）的人员可以办理评查活动。")


def may_sample(campaign, actor, payload):
    _organiser(campaign, actor)
    if not campaign.targets.exists():
        raise GuardFailed("请先确定被评查单位及抽取数量", rule=RULE)


def may_start(campaign, actor, payload):
    _organiser(campaign, actor)
    if not campaign.files.exists():
        raise GuardFailed("尚未抽取评查案卷", rule=RULE)
    if not campaign.evaluator_links.exists():
        raise GuardFailed("请先确定评查人员", rule=RULE)


def may_conclude(campaign, actor, payload):
    _organiser(campaign, actor)
    pending = campaign.files.exclude(state=FileState.SUBMITTED).count()
    if pending:
        raise GuardFailed(f"尚有 {pending} 份案卷未评定，不能结束评查", rule=RULE)


CAMPAIGN = Workflow("evaluation_campaign", model=Campaign, state_labels=dict(CampaignState.choices), transitions=[
    Transition(CampaignState.DRAFT, "sample", CampaignState.SAMPLED, "随机抽取案卷", roles=ORGANIZER_ROLES,
               guard=may_sample, effect=sample_effect),
    Transition(CampaignState.SAMPLED, "resample", CampaignState.SAMPLED, "重新抽取案卷", roles=ORGANIZER_ROLES,
               guard=may_sample, effect=sample_effect),
    Transition(CampaignState.SAMPLED, "start", CampaignState.SCORING, "开始评分", roles=ORGANIZER_ROLES,
               guard=may_start, notify=notify_evaluators),
    Transition(CampaignState.SCORING, "conclude", CampaignState.CONCLUDED, "结束评查", roles=ORGANIZER_ROLES,
               guard=may_conclude, effect=campaign_concluded_effect),
])
