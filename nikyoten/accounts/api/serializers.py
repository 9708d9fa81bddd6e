from typing import Any

from rest_framework import serializers

from nikyoten.accounts.choices import PrincipalKind
from nikyoten.accounts.models import Membership, Organization


class OrganizationOutputSerializer(serializers.ModelSerializer[Organization]):
    prefecture = serializers.CharField(source="prefecture_id")
    municipality = serializers.CharField(source="municipality_id", allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "prefecture", "municipality", "is_sample"]


class MembershipOutputSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email")
    display_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = Membership
        fields = ["id", "email", "display_name", "role"]


class MembershipRoleOutputSerializer(serializers.Serializer[dict[str, Any]]):
    organization = OrganizationOutputSerializer()
    role = serializers.CharField()


class MeOutputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=PrincipalKind.choices)
    email = serializers.EmailField(allow_null=True)
    is_platform_admin = serializers.BooleanField()
    roles = MembershipRoleOutputSerializer(many=True)
