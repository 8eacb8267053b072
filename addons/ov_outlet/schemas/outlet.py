from pydantic import BaseModel

from .common import AddressOut


class ChannelPartnerOut(BaseModel):
    id: int
    name: str
    ref: str | None
    email: str | None


class SiteOut(BaseModel):
    id: int
    name: str
    address: AddressOut


class OutletOut(BaseModel):
    id: int
    code: str
    name: str
    active: bool
    channel_partner: ChannelPartnerOut | None
    site: SiteOut

    @classmethod
    def from_record(cls, outlet):
        channel, site = outlet.channel_partner_id, outlet.site_partner_id
        return cls(
            id=outlet.id,
            code=outlet.code,
            name=outlet.name,
            active=outlet.active,
            channel_partner=ChannelPartnerOut(
                id=channel.id, name=channel.name, ref=channel.ref or None, email=channel.email or None
            )
            if channel
            else None,
            site=SiteOut(id=site.id, name=site.name, address=AddressOut.from_partner(site)),
        )
