from rest_framework import serializers

from nikyoten.housing.models import Inquiry, InquiryMessage


class InquiryMessageOutputSerializer(serializers.ModelSerializer[InquiryMessage]):
    class Meta:
        model = InquiryMessage
        fields = ["id", "from_organization", "body", "created_at"]


class InquiryOutputSerializer(serializers.ModelSerializer[Inquiry]):
    listing_title = serializers.CharField(source="listing.title")
    organization_name = serializers.CharField(source="organization.name")

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "listing",
            "listing_title",
            "organization",
            "organization_name",
            "subject",
            "status",
            "created_at",
            "updated_at",
        ]


class InquiryDetailOutputSerializer(InquiryOutputSerializer):
    messages = InquiryMessageOutputSerializer(many=True)

    class Meta(InquiryOutputSerializer.Meta):
        fields = [*InquiryOutputSerializer.Meta.fields, "messages"]


class InquiryInputSerializer(serializers.Serializer[None]):
    listing = serializers.IntegerField(min_value=1)
    subject = serializers.CharField(max_length=120)
    body = serializers.CharField()


class InquiryMessageInputSerializer(serializers.Serializer[None]):
    body = serializers.CharField()
