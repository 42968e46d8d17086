"""网上办事: the service catalogue and its 办事指南, life-event guides (场景式服务), online
applications with progress, proxy handling and back-office integration, bookings and the
service ratings (好差评). See docs/domains/services.md."""
